package io.pgrunbooks.activities.connections;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.harness.ActivityStubs;
import io.pgrunbooks.harness.ClientSessions;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.PostgresVersions;
import io.pgrunbooks.workflows.connections.ConnectionActivities;
import io.pgrunbooks.workflows.connections.ConnectionCheck;
import io.pgrunbooks.workflows.connections.ConnectionDiagnosis;
import io.pgrunbooks.workflows.connections.IdleBackend;
import io.pgrunbooks.workflows.connections.Termination;
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
 * Scenario 2's queries on each PostgreSQL major available here (13 and 17 from the zonky bundles,
 * 15 from Debian), one cluster per version: idle sessions found, one ended while another that
 * became busy is left alone, and the re-check counting what is left.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.pgrunbooks.harness.PostgresVersions#majors")
class ConnectionActivitiesOnEachPostgresVersionTest {
  static PostgresCluster cluster;
  static ActivityStubs stubs;
  static ConnectionActivities connections;

  @Parameter int major;

  @BeforeParameterizedClassInvocation
  static void start(int major) {
    cluster = PostgresVersions.start("connections", major, Map.of());
    cluster.execute("postgres", "create role app login password 'app'", "create database app_db owner app");
    SecretResolver secrets = new SecretResolver(HostTargets.NO_KUBERNETES);
    stubs = new ActivityStubs(new ConnectionActivitiesImpl(
        HostTargets.registry("pg", cluster, List.of("app_db")), new PostgresConnector(secrets), HostTargets.NO_KUBERNETES));
    connections = stubs.stub(ConnectionActivities.class);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    stubs.close();
    cluster.close();
  }

  @Test
  void anIdleSessionIsEndedOneThatBecameBusyIsLeftAloneAndTheRecheckCountsWhatIsLeft() throws Exception {
    try (ClientSessions sessions = new ClientSessions(cluster)) {
      Connection idle = sessions.open("app", "app_db", "idle-app");
      Connection later = sessions.open("app", "app_db", "busy-later-app");
      int idlePid = ClientSessions.pid(idle);
      int laterPid = ClientSessions.pid(later);

      ConnectionDiagnosis diagnosis = connections.diagnose("pg", 0);

      assertThat(diagnosis.idle()).as(diagnosis.toString()).extracting(IdleBackend::pid).containsExactlyInAnyOrder(idlePid, laterPid);
      assertThat(diagnosis.byState()).containsEntry("idle", 2).containsEntry("active", 1); // the two, and the diagnosis itself
      assertThat(diagnosis.sources()).anySatisfy(s -> {
        assertThat(s.application()).isEqualTo("idle-app");
        assertThat(s.user()).isEqualTo("app");
        assertThat(s.state()).isEqualTo("idle");
        assertThat(s.connections()).isEqualTo(1);
      });
      assertThat(diagnosis.usage().clientBackends()).isEqualTo(3);
      assertThat(diagnosis.maxConnectionsSource()).isEqualTo("configuration file"); // initdb writes it

      sessions.startRunning(later, "select pg_sleep(30)");
      sessions.awaitActive(laterPid);
      Termination termination = connections.terminateIdle("pg", diagnosis.idle(), 0);

      assertThat(termination.terminated()).containsExactly(idlePid);
      assertThat(termination.skipped()).singleElement().asString().contains("pid " + laterPid).endsWith("now active, left alone");
      assertThat(idle.isValid(5)).as("the ended session's connection").isFalse();
      ConnectionCheck after = connections.recheck("pg");
      assertThat(after.clientBackends()).as("the busy session and the re-check's own").isEqualTo(2);
      assertThat(after.maxConnections()).isEqualTo(100);
      assertThat(after.underThreshold()).isTrue();
    }
  }
}
