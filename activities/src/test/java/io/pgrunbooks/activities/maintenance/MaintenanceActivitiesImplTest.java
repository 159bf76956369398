package io.pgrunbooks.activities.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.workflows.maintenance.DatabaseMaintenance;
import io.pgrunbooks.workflows.maintenance.MaintenanceActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** VACUUM ANALYZE on a real cluster, table by table, and a retried attempt resuming where its heartbeat said. */
class MaintenanceActivitiesImplTest {
  static PostgresCluster cluster;
  TestActivityEnvironment env;
  MaintenanceActivities maintenance;

  @BeforeAll
  static void start() {
    // autovacuum off: only this test's VACUUM sets last_vacuum
    cluster = PostgresCluster.start("maintenance", Map.of("autovacuum", "off"));
    cluster.execute("postgres", "create database link_chat");
    cluster.execute("link_chat",
        "create table a_first (id int)", "create table b_second (id int)", "create table \"C Third\" (id int)",
        "insert into a_first select generate_series(1, 1000)", "delete from a_first where id % 2 = 0",
        "insert into b_second select generate_series(1, 10)", "insert into \"C Third\" select generate_series(1, 10)");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @BeforeEach
  void activities() {
    TargetRegistry registry = new TargetRegistry(new TargetsProperties(Map.of("link", HostTargets.of(cluster, List.of("link_chat")))));
    SecretResolver secrets = new SecretResolver(() -> null);
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new MaintenanceActivitiesImpl(registry, new PostgresConnector(secrets), secrets));
    maintenance = env.newActivityStub(MaintenanceActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1)).setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
  }

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void aRetriedAttemptResumesAfterTheTablesItsHeartbeatReportedThenAllAreDone() throws Exception {
    env.setHeartbeatDetails(2); // a previous attempt finished "C Third" and a_first (sorted by quoted name)
    DatabaseMaintenance resumed = maintenance.vacuumAnalyze("link", "link_chat");
    assertThat(resumed.tables()).isEqualTo(3);
    assertThat(vacuumed()).containsEntry("C Third", false).containsEntry("a_first", false).containsEntry("b_second", true);

    env.setHeartbeatDetails(0);
    DatabaseMaintenance full = maintenance.vacuumAnalyze("link", "link_chat");
    assertThat(full.error()).isNull();
    assertThat(vacuumed()).containsOnlyKeys("C Third", "a_first", "b_second").doesNotContainValue(false);
  }

  @Test
  void onlyTheTargetsDatabasesAreMaintained() {
    assertThat(maintenance.databasesToMaintain("link", List.of())).containsExactly("link_chat");
    assertThatThrownBy(() -> maintenance.databasesToMaintain("link", List.of("link_chat", "postgres")))
        .cause().hasMessageContaining("not databases of target link: [postgres]");
  }

  /** Whether each table has been vacuumed and analyzed. */
  private static Map<String, Boolean> vacuumed() throws Exception {
    Map<String, Boolean> result = new LinkedHashMap<>();
    try (Connection c = cluster.connect("link_chat"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "select relname, last_vacuum is not null and last_analyze is not null from pg_stat_user_tables order by relname")) {
      while (rs.next()) {
        result.put(rs.getString(1), rs.getBoolean(2));
      }
    }
    return result;
  }
}
