package io.pgrunbooks.activities.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.activities.artifacts.ArtifactStore;
import io.pgrunbooks.activities.storage.TestStores;
import io.pgrunbooks.harness.ClientSessions;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.PostgresVersions;
import io.pgrunbooks.workflows.assessment.CheckReport;
import io.pgrunbooks.workflows.assessment.CheckStatus;
import io.pgrunbooks.workflows.diagnosis.BlockedSession;
import io.pgrunbooks.workflows.diagnosis.DiagnosisReport;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every SQL check of the diagnosis on each PostgreSQL major available here (15 from Debian, 13 and
 * 17 from the zonky bundles that {@link PostgresVersions} unpacks): no check fails, and each finds
 * what was made real, so the queries hold from the floor to the newest version.
 */
class DiagnoseDatabaseOnEachPostgresVersionTest {
  private static final TestStores stores = new TestStores();

  static List<Integer> majors() {
    return PostgresVersions.majors();
  }

  @Test
  void theFloorAndTheNewestVersionAreAvailable() {
    assertThat(majors()).contains(13, 15, 17);
  }

  @ParameterizedTest(name = "PostgreSQL {0}")
  @MethodSource("majors")
  void everySqlCheckWorks(int major) throws Exception {
    try (PostgresCluster cluster = PostgresCluster.start(
            "diagnosis-" + major, PostgresVersions.binDirectory(major), Map.of("shared_preload_libraries", "pg_stat_statements"));
        ClientSessions sessions = new ClientSessions(cluster)) {
      prepare(cluster);
      cluster.execute("postgres", "create extension pg_stat_statements");
      cluster.execute("app_db", "create extension pg_stat_statements", "select pg_stat_statements_reset()", "select pg_sleep(0.2)");
      Connection blocker = sessions.open("app", "app_db", "blocker-app");
      int blockerPid = ClientSessions.pid(blocker);
      blocker.setAutoCommit(false);
      try (var st = blocker.createStatement()) {
        st.execute("lock table t in access exclusive mode");
      }
      Connection waiter = sessions.open("app", "app_db", "waiter-app");
      int waiterPid = ClientSessions.pid(waiter);
      sessions.startRunning(waiter, "select count(*) from t");
      sessions.awaitLockWait(waiterPid);

      DiagnosisReport report = diagnose(cluster);

      assertThat(report.checklist()).as(report.checklist().toString())
          .extracting(CheckReport::status).doesNotContain(CheckStatus.FAILED, CheckStatus.TIMED_OUT);
      assertThat(report.serverStatus().running()).isTrue();
      assertThat(report.log().source()).endsWith("server.log");
      assertThat(report.connections()).anySatisfy(g -> assertThat(g.database()).isEqualTo("app_db"));
      assertThat(report.locks()).singleElement().satisfies(b -> {
        assertThat(b.blockedPid()).isEqualTo(waiterPid);
        assertThat(b.blockingPid()).isEqualTo(blockerPid);
        assertThat(b.blockingApplication()).isEqualTo("blocker-app");
      });
      assertThat(report.locks()).extracting(BlockedSession::blockedQuery).containsExactly("select count(*) from t");
      assertThat(report.replication()).isEmpty();
      assertThat(report.statements().missingIn()).isEmpty();
      assertThat(report.statements().slowest()).first().satisfies(s -> assertThat(s.query()).isEqualTo("select pg_sleep($1)"));
      assertThat(report.sizes()).extracting(s -> s.database()).contains("postgres", "app_db");
      assertThat(report.tables()).anySatisfy(t -> {
        assertThat(t.table()).isEqualTo("t");
        assertThat(t.seqScans()).isGreaterThanOrEqualTo(3);
        assertThat(t.seqTuplesRead()).isGreaterThanOrEqualTo(3000);
      });
    }
  }

  @ParameterizedTest(name = "PostgreSQL {0}")
  @MethodSource("majors")
  void withoutThePreloadedModuleTheStatementsAreAFindingNotAFailure(int major) throws Exception {
    try (PostgresCluster cluster = PostgresCluster.start("diagnosis-nopreload-" + major, PostgresVersions.binDirectory(major), Map.of())) {
      prepare(cluster);
      cluster.execute("app_db", "create extension pg_stat_statements");

      DiagnosisReport report = diagnose(cluster);

      assertThat(report.statements().preloaded()).isFalse();
      assertThat(report.statements().installedIn()).containsExactly("app_db");
      assertThat(report.statements().missingIn()).containsExactly("postgres");
      assertThat(report.statements().slowest()).isEmpty();
      assertThat(report.checklist()).filteredOn(c -> c.check().equals("slowest statements")).singleElement()
          .satisfies(c -> assertThat(c.status()).isEqualTo(CheckStatus.WARNING));
      assertThat(report.findings()).contains(
          "pg_stat_statements is not in shared_preload_libraries: add it, restart the server, then CREATE EXTENSION "
              + "pg_stat_statements in postgres; until then no statement statistics are collected");
    }
  }

  /** A database app_db owned by app, with a table t of 1000 rows read sequentially three times. */
  private static void prepare(PostgresCluster cluster) {
    cluster.execute("postgres", "create role app login password 'app'", "create database app_db owner app");
    cluster.execute("app_db",
        "create table t (id int, v text)",
        "insert into t select g, g::text from generate_series(1, 1000) g",
        "grant all on t to app",
        "select count(*) from t", "select count(*) from t", "select count(*) from t");
  }

  private static DiagnosisReport diagnose(PostgresCluster cluster) {
    ArtifactStore artifacts = new ArtifactStore(stores.storage, TestStores.GOOD, "diagnosis-versions");
    try (DiagnosisRun run = new DiagnosisRun("pg", HostTargets.of(cluster, List.of("postgres", "app_db")), artifacts)) {
      return run.diagnose("pg", "diagnose-database/pg/" + System.nanoTime());
    }
  }
}
