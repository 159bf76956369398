package io.pgrunbooks.activities.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.harness.ActivityStubs;
import io.pgrunbooks.harness.ClientSessions;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.PostgresVersions;
import io.pgrunbooks.workflows.maintenance.DatabaseMaintenance;
import io.pgrunbooks.workflows.maintenance.MaintenanceActivities;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** VACUUM ANALYZE of every table and materialized view on each PostgreSQL major available here. */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.pgrunbooks.harness.PostgresVersions#majors")
class MaintenanceActivitiesOnEachPostgresVersionTest {
  static PostgresCluster cluster;
  static ActivityStubs stubs;
  static MaintenanceActivities maintenance;

  /** The major under test (the lifecycle methods receive it once the class declares it). */
  @Parameter int major;

  @BeforeParameterizedClassInvocation
  static void start(int major) {
    cluster = PostgresVersions.start("maintenance", major, Map.of("autovacuum", "off"));
    cluster.execute("postgres", "create database app_db");
    cluster.execute("app_db", "create schema \"Sales\"", "create table \"Sales\".\"Orders\" (id int)",
        "insert into \"Sales\".\"Orders\" select generate_series(1, 1000)", "delete from \"Sales\".\"Orders\" where id % 2 = 0",
        "create table plain (id int)", "create materialized view totals as select count(*) from \"Sales\".\"Orders\"");
    SecretResolver secrets = new SecretResolver(HostTargets.NO_KUBERNETES);
    stubs = new ActivityStubs(new MaintenanceActivitiesImpl(
        HostTargets.registry("pg", cluster, List.of("app_db")), new PostgresConnector(secrets), secrets));
    maintenance = stubs.stub(MaintenanceActivities.class);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    stubs.close();
    cluster.close();
  }

  @Test
  void everyTableIsVacuumedAndAnalyzed() throws Exception {
    assertThat(maintenance.databasesToMaintain("pg", List.of())).containsExactly("app_db");

    DatabaseMaintenance done = maintenance.vacuumAnalyze("pg", "app_db");

    assertThat(done.error()).isNull();
    assertThat(done.tables()).isEqualTo(3);
    try (ClientSessions sessions = new ClientSessions(cluster)) {
      sessions.awaitTrue("app_db", "select count(*) = 3 and bool_and(last_vacuum is not null and last_analyze is not null)"
          + " from pg_stat_all_tables where relname in ('Orders', 'plain', 'totals')");
      sessions.awaitTrue("app_db", "select n_dead_tup = 0 from pg_stat_user_tables where relname = 'Orders'");
    }
  }
}
