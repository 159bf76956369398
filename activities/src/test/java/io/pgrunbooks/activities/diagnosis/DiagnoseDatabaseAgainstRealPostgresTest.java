package io.pgrunbooks.activities.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.activities.artifacts.ArtifactStore;
import io.pgrunbooks.activities.storage.TestStores;
import io.pgrunbooks.harness.ClientSessions;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.workflows.assessment.CheckReport;
import io.pgrunbooks.workflows.assessment.CheckStatus;
import io.pgrunbooks.workflows.diagnosis.BlockedSession;
import io.pgrunbooks.workflows.diagnosis.DiagnosisReport;
import io.pgrunbooks.workflows.diagnosis.SlowStatement;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runbook end to end against a real PostgreSQL 15 (pg_stat_statements preloaded, installed in
 * postgres but not in link_users) with its conditions made real: a session holding a table lock
 * that blocks two others, idle and busy sessions, statements that failed (a server log bigger than
 * an excerpt, stored in s3proxy), a slow statement and a table read by sequential scans.
 */
class DiagnoseDatabaseAgainstRealPostgresTest {
  private static final Logger log = LoggerFactory.getLogger(DiagnoseDatabaseAgainstRealPostgresTest.class);

  static PostgresCluster cluster;
  static final TestStores stores = new TestStores();

  @BeforeAll
  static void startCluster() {
    cluster = PostgresCluster.start("diagnosis", Map.of("shared_preload_libraries", "pg_stat_statements"));
    cluster.execute("postgres",
        "create role app login password 'app'",
        "create database link_users owner app",
        "create extension pg_stat_statements");
    cluster.execute("link_users",
        "create table accounts (id int primary key, balance int)",
        "insert into accounts select g, 0 from generate_series(1, 10) g",
        "create table messages (id int, body text)",
        "insert into messages select g, md5(g::text) from generate_series(1, 20000) g",
        "grant all on accounts, messages to app",
        "analyze");
    // The setup's own statements are not the workload: on a loaded machine CREATE DATABASE alone can
    // take longer than the test's slow statement and would be reported as the slowest one.
    cluster.execute("postgres", "select pg_stat_statements_reset()");
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void diagnosisNamesBlockersIdleAndBusySessionsSlowStatementsAndScans() throws Exception {
    try (ClientSessions sessions = new ClientSessions(cluster)) {
      // Ten sequential scans of 20000 rows; a slow statement; 300 failed statements in the server log.
      cluster.execute("link_users", "select pg_sleep(0.3)");
      for (int i = 0; i < 10; i++) {
        cluster.execute("link_users", "select count(*) from messages where body like '%abc%'");
      }
      Connection failing = sessions.open("app", "link_users", "failing-app");
      for (int i = 0; i < 300; i++) {
        try (var st = failing.createStatement()) {
          st.execute("select 1/0");
        } catch (java.sql.SQLException expected) {
          // division by zero, logged as ERROR with its statement
        }
      }
      // Three idle sessions of one client, and a busy one.
      for (int i = 0; i < 3; i++) {
        sessions.open("app", "link_users", "idle-app");
      }
      Connection busy = sessions.open("app", "link_users", "busy-app");
      int busyPid = ClientSessions.pid(busy); // before the connection is busy on another thread
      sessions.startRunning(busy, "select pg_sleep(60)");
      sessions.awaitActive(busyPid);
      // One session holds an exclusive lock on accounts and waits; two others wait for it.
      Connection blocker = sessions.open("app", "link_users", "blocker-app");
      int blockerPid = ClientSessions.pid(blocker);
      blocker.setAutoCommit(false);
      try (var st = blocker.createStatement()) {
        st.execute("lock table accounts in access exclusive mode");
      }
      Connection waiter1 = sessions.open("app", "link_users", "waiter-app-1");
      Connection waiter2 = sessions.open("app", "link_users", "waiter-app-2");
      int waiter1Pid = ClientSessions.pid(waiter1);
      int waiter2Pid = ClientSessions.pid(waiter2);
      sessions.startRunning(waiter1, "update accounts set balance = balance + 1 where id = 1");
      sessions.awaitLockWait(waiter1Pid);
      sessions.startRunning(waiter2, "select sum(balance) from accounts");
      sessions.awaitLockWait(waiter2Pid);

      ArtifactStore artifacts = new ArtifactStore(stores.storage, TestStores.GOOD, "diagnosis-test");
      DiagnosisReport report;
      try (DiagnosisRun run = new DiagnosisRun("pg", HostTargets.of(cluster, List.of("postgres", "link_users")), artifacts)) {
        long started = System.nanoTime();
        report = run.diagnose("pg", "diagnose-database/pg/" + System.nanoTime());
        long first = (System.nanoTime() - started) / 1_000_000;
        run.saveHistory("diagnose-database");
        // For the benchmark figures: the first run pays the JVM's warm-up (JDBC, S3 client, classes).
        started = System.nanoTime();
        run.diagnose("pg", "diagnose-database/pg/" + System.nanoTime());
        log.info("DiagnoseDatabase on PostgreSQL 15, workflow start to result: first run {} ms, second run {} ms",
            first, (System.nanoTime() - started) / 1_000_000);
      }
      log.info("findings: {}", report.findings());
      log.info("checklist: {}", report.checklist());

      // Locks: both waiters, blocked by the session holding the lock, with queries and applications.
      assertThat(report.locks()).extracting(BlockedSession::blockedPid).contains(waiter1Pid, waiter2Pid);
      assertThat(report.locks()).filteredOn(b -> b.blockedPid() == waiter1Pid).singleElement().satisfies(b -> {
        assertThat(b.blockingPid()).isEqualTo(blockerPid);
        assertThat(b.blockedApplication()).isEqualTo("waiter-app-1");
        assertThat(b.blockingApplication()).isEqualTo("blocker-app");
        assertThat(b.blockedQuery()).isEqualTo("update accounts set balance = balance + 1 where id = 1");
        assertThat(b.blockingQuery()).isEqualTo("lock table accounts in access exclusive mode");
        assertThat(b.blockingState()).isEqualTo("idle in transaction");
        assertThat(b.waitEvent()).isEqualTo("Lock:relation");
      });
      assertThat(report.locks()).filteredOn(b -> b.blockedPid() == waiter2Pid)
          .extracting(BlockedSession::blockingPid).contains(blockerPid);
      assertThat(report.findings()).anySatisfy(f -> assertThat(f).startsWith(
          "pid " + waiter1Pid + " (app waiter-app-1) blocked for ").contains(
          "by pid " + blockerPid + " (app blocker-app, idle in transaction): it waits to run update accounts set balance = "
              + "balance + 1 where id = 1; the blocker's statement: lock table accounts in access exclusive mode"));

      // Connections grouped by client, user, database and state.
      assertThat(report.connections()).anySatisfy(g -> {
        assertThat(g.clientAddr()).isEqualTo("127.0.0.1");
        assertThat(g.user()).isEqualTo("app");
        assertThat(g.database()).isEqualTo("link_users");
        assertThat(g.state()).isEqualTo("idle");
        assertThat(g.connections()).isEqualTo(4); // three idle-app sessions and the failing one
      });
      assertThat(report.connections()).anySatisfy(g -> {
        assertThat(g.state()).isEqualTo("active");
        assertThat(g.user()).isEqualTo("app");
        assertThat(g.connections()).isEqualTo(3); // busy and the two waiters
      });
      assertThat(report.findings()).anySatisfy(f -> assertThat(f).isEqualTo(
          "1 session(s) idle in transaction from 127.0.0.1 as app in link_users: they hold locks and snapshots while doing nothing"));

      // pg_stat_statements: preloaded, installed in postgres only; the slow statement first.
      assertThat(report.statements().preloaded()).isTrue();
      assertThat(report.statements().installedIn()).containsExactly("postgres");
      assertThat(report.statements().missingIn()).containsExactly("link_users");
      SlowStatement slowest = report.statements().slowest().get(0);
      assertThat(slowest.query()).isEqualTo("select pg_sleep($1)");
      assertThat(slowest.database()).isEqualTo("link_users");
      assertThat(slowest.meanExecMillis()).isGreaterThanOrEqualTo(300);
      assertThat(report.findings()).anySatisfy(f -> assertThat(f).startsWith(
          "pg_stat_statements is not installed in link_users: it is preloaded, so CREATE EXTENSION pg_stat_statements there"));
      assertThat(report.findings()).anySatisfy(f -> assertThat(f).startsWith("slowest statement by mean time: ")
          .endsWith(" in link_users as postgres: select pg_sleep($1)"));

      // Sizes and table statistics of both databases.
      assertThat(report.sizes()).extracting(s -> s.database()).contains("postgres", "link_users");
      assertThat(report.sizes()).allSatisfy(s -> assertThat(s.bytes()).isPositive());
      assertThat(report.tables()).anySatisfy(t -> {
        assertThat(t.database()).isEqualTo("link_users");
        assertThat(t.table()).isEqualTo("messages");
        assertThat(t.seqScans()).isGreaterThanOrEqualTo(10);
        assertThat(t.seqTuplesRead()).isGreaterThanOrEqualTo(200_000);
        assertThat(t.indexScans()).as("messages has no index").isNull();
      });
      assertThat(report.findings()).anySatisfy(f -> assertThat(f).startsWith("table public.messages in link_users: "));

      // The host's server: running; its log (pg_ctl -l) read, its errors counted, the whole stored.
      assertThat(report.serverStatus().running()).isTrue();
      assertThat(report.log().source()).isEqualTo(cluster.socketDirectory().resolve("server.log").toString());
      assertThat(report.log().matchCount()).isGreaterThanOrEqualTo(300);
      assertThat(report.log().matches()).hasSize(50).last().asString().contains("ERROR:  division by zero");
      assertThat(report.log().log().complete()).isFalse();
      assertThat(report.log().log().text().length()).isLessThanOrEqualTo(4096);
      String full = new String(artifacts.get(report.log().log().artifact()), StandardCharsets.UTF_8);
      assertThat(full.lines().filter(l -> l.contains("ERROR:  division by zero")).count()).isGreaterThanOrEqualTo(300);
      assertThat(report.log().log().artifact().key()).startsWith("diagnosis-test/diagnose-database/pg/").endsWith("/database.log");

      // Every check ran or does not apply on a host; none failed.
      assertThat(report.checklist()).extracting(CheckReport::status).doesNotContain(CheckStatus.FAILED, CheckStatus.TIMED_OUT);
      assertThat(report.checklist()).filteredOn(c -> c.status() == CheckStatus.NOT_APPLICABLE).extracting(CheckReport::check)
          .containsExactly("pod status", "pod events", "previous container log", "resource requests and limits");
      assertThat(report.replication()).isEmpty();
      assertThat(report.checklist()).filteredOn(c -> c.check().equals("replication")).singleElement()
          .satisfies(c -> assertThat(c.summary()).startsWith("no replica connected"));
    }
  }
}
