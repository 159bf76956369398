package io.pgrunbooks.activities.assessment;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.activities.host.LocalClusterHosting;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.ReadinessProbe;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.harness.ActivityStubs;
import io.pgrunbooks.harness.ClientSessions;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.PostgresVersions;
import io.pgrunbooks.workflows.assessment.AssessmentActivities;
import io.pgrunbooks.workflows.assessment.ConnectionUsage;
import io.pgrunbooks.workflows.assessment.LongRunningQueries;
import io.pgrunbooks.workflows.assessment.ReadinessState;
import io.pgrunbooks.workflows.assessment.ServerIdentity;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The assessment's SQL checks on each PostgreSQL major available here, one cluster per version:
 * the server's identity, client connections by state with an idle and a busy session, a running
 * pg_sleep as a long-running query, and replication of a primary without replicas.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.pgrunbooks.harness.PostgresVersions#majors")
class AssessmentOnEachPostgresVersionTest {
  static PostgresCluster cluster;
  static ActivityStubs stubs;
  static AssessmentActivities assessment;

  @Parameter int major;

  @BeforeParameterizedClassInvocation
  static void start(int major) {
    cluster = PostgresVersions.start("assessment", major, Map.of());
    cluster.execute("postgres", "create role app login password 'app'", "create database app_db owner app");
    SecretResolver secrets = new SecretResolver(HostTargets.NO_KUBERNETES);
    PostgresConnector connector = new PostgresConnector(secrets);
    stubs = new ActivityStubs(new AssessmentActivitiesImpl(HostTargets.registry("pg", cluster, List.of("app_db")), connector,
        new ReadinessProbe(connector), new ClusterHostings(List.of(new LocalClusterHosting()))));
    assessment = stubs.stub(AssessmentActivities.class);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    stubs.close();
    cluster.close();
  }

  @Test
  void theServerAnswersAsAPrimaryOfTheVersionUnderTest() {
    assertThat(assessment.checkReadiness("pg").state()).isEqualTo(ReadinessState.ACCEPTING);
    ServerIdentity server = assessment.checkServerIdentity("pg");
    assertThat(server.serverVersionNum() / 10000).isEqualTo(major);
    assertThat(server.version()).startsWith("PostgreSQL " + major + ".");
    assertThat(server.inRecovery()).isFalse();
    assertThat(server.serverTime()).endsWith("Z");
    assertThat(assessment.checkReplication("pg").replicas()).isEmpty();
    assertThat(assessment.checkDiskUsage("pg").path()).isEqualTo(cluster.dataDirectory().toString());
  }

  @Test
  void clientSessionsAreCountedByStateAndARunningSleepIsALongRunningQuery() throws Exception {
    try (ClientSessions sessions = new ClientSessions(cluster)) {
      sessions.open("app", "app_db", "idle-app");
      Connection busy = sessions.open("app", "app_db", "busy-app");
      int busyPid = ClientSessions.pid(busy);
      sessions.startRunning(busy, "select pg_sleep(60)");
      sessions.awaitTrue("postgres", "select now() - query_start > interval '1100 ms' from pg_stat_activity where state = 'active' and pid = " + busyPid);

      ConnectionUsage usage = assessment.checkConnectionUsage("pg");
      LongRunningQueries longRunning = assessment.findLongRunningQueries("pg", 1);

      assertThat(usage.clientBackends()).as("idle, busy and the check's own session").isEqualTo(3);
      assertThat(usage.byState()).containsEntry("idle", 1).containsEntry("active", 2);
      assertThat(usage.current()).as("every backend, background processes too").isGreaterThan(usage.clientBackends());
      assertThat(usage.maxConnections()).isEqualTo(100);
      assertThat(usage.superuserReserved()).isEqualTo(3);
      assertThat(usage.percentUsed()).isEqualTo(3.0);
      assertThat(longRunning.count()).isEqualTo(1);
      assertThat(longRunning.longestSeconds()).isGreaterThanOrEqualTo(1.1);
      assertThat(longRunning.samples()).singleElement().asString()
          .startsWith("pid " + busyPid + ", app@app_db (busy-app), active ");
    }
  }
}
