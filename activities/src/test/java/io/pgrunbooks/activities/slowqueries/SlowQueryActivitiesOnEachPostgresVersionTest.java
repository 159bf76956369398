package io.pgrunbooks.activities.slowqueries;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.harness.ActivityStubs;
import io.pgrunbooks.harness.ClientSessions;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.PostgresVersions;
import io.pgrunbooks.workflows.slowqueries.Backend;
import io.pgrunbooks.workflows.slowqueries.LockWait;
import io.pgrunbooks.workflows.slowqueries.LockWaits;
import io.pgrunbooks.workflows.slowqueries.QueryCheck;
import io.pgrunbooks.workflows.slowqueries.SlowQueryActivities;
import io.pgrunbooks.workflows.slowqueries.StopMethod;
import io.pgrunbooks.workflows.slowqueries.Stopping;
import io.pgrunbooks.workflows.slowqueries.TableStatistics;
import io.pgrunbooks.workflows.slowqueries.TableStats;
import io.pgrunbooks.workflows.slowqueries.Vacuumed;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 4's queries on each PostgreSQL major available here, one cluster per version: a running
 * pg_sleep found and cancelled, a row lock's holder found and terminated, a table read sequentially
 * and full of dead tuples found, vacuumed and re-checked, pg_stat_statements read.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.pgrunbooks.harness.PostgresVersions#majors")
class SlowQueryActivitiesOnEachPostgresVersionTest {
  static PostgresCluster cluster;
  static ActivityStubs stubs;
  static SlowQueryActivities slow;

  /** The major under test (the lifecycle methods receive it once the class declares it). */
  @Parameter int major;

  @BeforeParameterizedClassInvocation
  static void start(int major) {
    cluster = PostgresVersions.start("slowqueries", major, Map.of("shared_preload_libraries", "pg_stat_statements"));
    cluster.execute("postgres", "create role app login password 'app'", "create database shop owner app");
    cluster.execute("shop", "create extension pg_stat_statements",
        "create table accounts (id int primary key, balance int)",
        "insert into accounts select g, 100 from generate_series(1, 10) g", "grant all on accounts to app");
    SecretResolver secrets = new SecretResolver(HostTargets.NO_KUBERNETES);
    stubs = new ActivityStubs(new SlowQueryActivitiesImpl(
        HostTargets.registry("shop", cluster, List.of("shop")), new PostgresConnector(secrets), secrets));
    slow = stubs.stub(SlowQueryActivities.class);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    stubs.close();
    cluster.close();
  }

  @Test
  void aRunningQueryIsFoundCancelledAndTheRecheckIsClean() throws Exception {
    try (ClientSessions sessions = new ClientSessions(cluster)) {
      Connection sleeper = sessions.open("app", "shop", "sleepy-app");
      int pid = ClientSessions.pid(sleeper);
      sessions.startRunning(sleeper, "select pg_sleep(60)");
      sessions.awaitTrue("postgres", "select now() - query_start > interval '1100 ms' from pg_stat_activity where state = 'active' and pid = " + pid);

      List<Backend> found = slow.findSlowQueries("shop", 1);

      assertThat(found).singleElement().satisfies(b -> {
        assertThat(b.pid()).isEqualTo(pid);
        assertThat(b.query()).isEqualTo("select pg_sleep(60)");
        assertThat(b.application()).isEqualTo("sleepy-app");
        assertThat(b.database()).isEqualTo("shop");
        assertThat(b.runningSeconds()).isGreaterThanOrEqualTo(1);
        assertThat(b.stop()).isEqualTo(StopMethod.CANCEL);
      });
      Stopping stopping = slow.cancelQueries("shop", found);
      assertThat(stopping.stopped()).as(stopping.toString()).containsExactly(pid);
      QueryCheck check = slow.recheckQueries("shop", found, 1);
      assertThat(check.clean()).as(check.toString()).isTrue();
      assertThat(sleeper.isValid(5)).as("a cancelled statement leaves its session").isTrue();
    }
  }

  @Test
  void theHolderOfARowLockIsFoundTerminatedAndItsWaiterGoesOn() throws Exception {
    try (ClientSessions sessions = new ClientSessions(cluster)) {
      Connection holder = sessions.open("app", "shop", "holder-app");
      int holderPid = ClientSessions.pid(holder);
      holder.setAutoCommit(false);
      try (Statement st = holder.createStatement()) {
        st.execute("update accounts set balance = balance + 1 where id = 1");
      }
      Connection waiter = sessions.open("app", "shop", "waiter-app");
      int waiterPid = ClientSessions.pid(waiter);
      sessions.startRunning(waiter, "update accounts set balance = 0 where id = 1");
      sessions.awaitLockWait(waiterPid);

      LockWaits waits = slow.findLockWaits("shop");

      assertThat(waits.waits()).singleElement().satisfies(w -> {
        assertThat(w.pid()).isEqualTo(waiterPid);
        assertThat(w.blockedBy()).containsExactly(holderPid);
        assertThat(w.waitEvent()).isEqualTo("Lock:transactionid");
        assertThat(w.query()).isEqualTo("update accounts set balance = 0 where id = 1");
      });
      assertThat(waits.waits()).extracting(LockWait::application).containsExactly("waiter-app");
      assertThat(waits.blockers()).singleElement().satisfies(b -> {
        assertThat(b.pid()).isEqualTo(holderPid);
        assertThat(b.state()).isEqualTo("idle in transaction");
        assertThat(b.stop()).isEqualTo(StopMethod.TERMINATE);
        assertThat(b.blocking()).containsExactly(waiterPid);
      });
      assertThat(waits.notes()).isEmpty();
      Stopping stopping = slow.cancelQueries("shop", waits.blockers());
      assertThat(stopping.stopped()).as(stopping.toString()).containsExactly(holderPid);
      QueryCheck check = slow.recheckQueries("shop", waits.blockers(), 1);
      assertThat(check.clean()).as(check.toString()).isTrue();
      sessions.awaitTrue("shop", "select balance = 0 from accounts where id = 1");
    }
  }

  @Test
  void aTableReadSequentiallyWithManyDeadTuplesIsFoundVacuumedAndRechecked() throws Exception {
    cluster.execute("shop",
        "create table \"Events\" (id int, payload text) with (autovacuum_enabled = false)",
        "insert into \"Events\" select g, repeat('x', 50) from generate_series(1, 20000) g",
        "analyze \"Events\"",
        "select count(*) from \"Events\"", "select count(*) from \"Events\"", "select count(*) from \"Events\"",
        "select count(*) from \"Events\"", "select count(*) from \"Events\"", "select count(*) from \"Events\"",
        "delete from \"Events\" where id % 2 = 0",
        "select pg_sleep(0.2)");
    try (ClientSessions sessions = new ClientSessions(cluster)) {
      sessions.awaitTrue("shop",
          "select n_dead_tup >= 10000 and seq_tup_read >= 120000 from pg_stat_user_tables where relname = 'Events'");
    }

    TableStatistics stats = slow.checkTableStatistics("shop");

    assertThat(stats.seqScanHeavy()).as(stats.toString()).singleElement().satisfies(t -> {
      assertThat(t.name()).isEqualTo("shop.public.Events");
      assertThat(t.seqScan()).isGreaterThanOrEqualTo(6);
      assertThat(t.idxScan()).isZero();
    });
    assertThat(stats.needVacuum()).singleElement().satisfies(t -> {
      assertThat(t.name()).isEqualTo("shop.public.Events");
      assertThat(t.deadTuples()).isGreaterThanOrEqualTo(10_000);
      assertThat(t.lastVacuum()).isNull();
    });
    assertThat(stats.statements()).anySatisfy(s -> {
      assertThat(s.query()).isEqualTo("select pg_sleep($1)");
      assertThat(s.database()).isEqualTo("shop");
      assertThat(s.meanMillis()).isGreaterThanOrEqualTo(200);
    });
    assertThat(stats.notes()).isEmpty();

    Vacuumed vacuumed = slow.vacuumAnalyzeTables("shop", stats.needVacuum());
    assertThat(vacuumed.tables()).containsExactly("shop.public.Events");
    assertThat(vacuumed.skipped()).isEmpty();
    List<TableStats> after = slow.recheckTables("shop", stats.needVacuum());
    assertThat(after).singleElement().satisfies(t -> {
      assertThat(t.deadTuples()).isZero();
      assertThat(t.lastVacuum()).isNotNull();
      assertThat(t.lastAnalyze()).isNotNull();
    });
  }
}
