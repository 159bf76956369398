package io.pgrunbooks.activities.prevention;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.harness.ActivityStubs;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.PostgresVersions;
import io.pgrunbooks.workflows.prevention.PreventionActivities;
import io.pgrunbooks.workflows.prevention.StatementStatistics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Enabling pg_stat_statements on each PostgreSQL major available here (every one ships the
 * module: Debian's contrib, zonky's bundles): not preloaded and not installed at first, preloaded
 * with a restart of the server, created, then readable.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.pgrunbooks.harness.PostgresVersions#majors")
class PreventionActivitiesOnEachPostgresVersionTest {
  static PostgresCluster cluster;
  static ActivityStubs stubs;
  static PreventionActivities prevention;

  @Parameter int major;

  @BeforeParameterizedClassInvocation
  static void start(int major) {
    cluster = PostgresVersions.start("prevention", major, Map.of());
    cluster.execute("postgres", "create database app_db");
    SecretResolver secrets = new SecretResolver(HostTargets.NO_KUBERNETES);
    stubs = new ActivityStubs(new PreventionActivitiesImpl(
        HostTargets.registry("pg", cluster, List.of("app_db")), new PostgresConnector(secrets), secrets));
    prevention = stubs.stub(PreventionActivities.class);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    stubs.close();
    cluster.close();
  }

  @Test
  void pgStatStatementsIsPreloadedCreatedAndThenReadable() {
    StatementStatistics before = prevention.inspectStatementStatistics("pg", List.of());
    assertThat(before.serverVersion()).startsWith(major + ".");
    assertThat(before.available()).isTrue();
    assertThat(before.preloaded()).isFalse();
    assertThat(before.installedIn()).isEmpty();
    assertThat(before.missingIn()).containsExactly("app_db");

    assertThat(prevention.preloadPgStatStatements("pg")).isEqualTo("pg_stat_statements");
    assertThat(prevention.createPgStatStatements("pg", List.of())).containsExactly("app_db");
    assertThat(prevention.createPgStatStatements("pg", List.of())).as("a retry creates nothing").isEmpty();

    StatementStatistics after = prevention.inspectStatementStatistics("pg", List.of("app_db"));
    assertThat(after.preloaded()).isTrue();
    assertThat(after.preloadSource()).isEqualTo("configuration file"); // postgresql.auto.conf
    assertThat(after.installedIn()).containsExactly("app_db");
    assertThat(after.missingIn()).isEmpty();
    assertThat(after.readableIn()).containsExactly("app_db");
  }
}
