package io.pgrunbooks.activities.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.harness.ActivityStubs;
import io.pgrunbooks.harness.ClientSessions;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.PostgresVersions;
import io.pgrunbooks.workflows.validation.DatabaseStatistics;
import io.pgrunbooks.workflows.validation.ValidationActivities;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The post-recovery checks' SQL on each PostgreSQL major available here: sessions by state, pg_stat_database. */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.pgrunbooks.harness.PostgresVersions#majors")
class ValidationActivitiesOnEachPostgresVersionTest {
  static PostgresCluster cluster;
  static ActivityStubs stubs;
  static ValidationActivities validation;

  /** The major under test (the lifecycle methods receive it once the class declares it). */
  @Parameter int major;

  @BeforeParameterizedClassInvocation
  static void start(int major) {
    cluster = PostgresVersions.start("validation", major, Map.of());
    cluster.execute("postgres", "create database app_db", "create database other_db");
    cluster.execute("app_db", "create table t (id int)", "insert into t select generate_series(1, 500)",
        "update t set id = id + 1 where id <= 100", "delete from t where id > 400");
    SecretResolver secrets = new SecretResolver(HostTargets.NO_KUBERNETES);
    stubs = new ActivityStubs(new ValidationActivitiesImpl(HostTargets.registry("pg", cluster, List.of("app_db")), new PostgresConnector(secrets)));
    validation = stubs.stub(ValidationActivities.class);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    stubs.close();
    cluster.close();
  }

  @Test
  void sessionsByStateAndTheTargetsDatabaseStatistics() throws Exception {
    try (ClientSessions sessions = new ClientSessions(cluster)) {
      sessions.open("postgres", "app_db", "idle-app");
      sessions.awaitTrue("app_db", "select n_tup_del >= 100 from pg_stat_user_tables where relname = 't'");

      Map<String, Integer> states = validation.connectionsByState("pg");
      List<DatabaseStatistics> databases = validation.databaseStatistics("pg");

      assertThat(states).containsEntry("idle", 1).containsEntry("active", 1).containsKey("background");
      assertThat(databases).singleElement().satisfies(d -> {
        assertThat(d.database()).isEqualTo("app_db");
        assertThat(d.backends()).isEqualTo(1);
        assertThat(d.commits()).isPositive();
        assertThat(d.tuplesInserted()).isGreaterThanOrEqualTo(500);
        assertThat(d.tuplesUpdated()).isGreaterThanOrEqualTo(100);
        assertThat(d.tuplesDeleted()).isGreaterThanOrEqualTo(100);
      });
    }
  }
}
