package io.pgrunbooks.activities.slowqueries;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.GatedRuns;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.ApprovalVerifier;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.slowqueries.Backend;
import io.pgrunbooks.workflows.slowqueries.LockWait;
import io.pgrunbooks.workflows.slowqueries.ResolveSlowQueriesWorkflow;
import io.pgrunbooks.workflows.slowqueries.ResolveSlowQueriesWorkflowImpl;
import io.pgrunbooks.workflows.slowqueries.SlowQueryRequest;
import io.pgrunbooks.workflows.slowqueries.SlowQueryResult;
import io.pgrunbooks.workflows.slowqueries.SlowQueryStatus;
import io.pgrunbooks.workflows.slowqueries.StopMethod;
import io.pgrunbooks.workflows.slowqueries.TableStats;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runbook end to end (real workflow, real activities) against a real PostgreSQL, with each
 * condition made real: a long-running query, an idle-in-transaction session holding a row lock two
 * others wait for, a table with many dead tuples. Each database is its own target, so one case's
 * tables are not another's findings.
 */
class ResolveSlowQueriesAgainstRealPostgresTest {
  private static final String TASK_QUEUE = "slow-queries";
  private static final String APP = "slow-test-app";

  /** Each session's statement on a thread of its own (the common pool may have one thread). */
  private static final Executor OWN_THREAD = r -> Thread.ofPlatform().daemon().start(r);

  static PostgresCluster cluster;

  private final List<Connection> held = new ArrayList<>();
  private final List<Integer> heldPids = new ArrayList<>();
  private final List<CompletableFuture<String>> running = new ArrayList<>();
  private TestWorkflowEnvironment env;
  private ResolveSlowQueriesWorkflow wf;
  private int sleeperPid;
  private CompletableFuture<String> sleeping;

  @BeforeAll
  static void startCluster() {
    cluster = PostgresCluster.start("slowqueries", Map.of("shared_preload_libraries", "pg_stat_statements"));
    cluster.execute("postgres", "create role app login password 'app'",
        "create database sleepy", "create database shop owner app", "create database bloat");
    cluster.execute("shop", "create table accounts (id int primary key, balance int)",
        "insert into accounts select g, 100 from generate_series(1, 10) g", "grant all on accounts to app");
    cluster.execute("bloat", "create extension pg_stat_statements");
  }

  /** 20000 rows analyzed, then half deleted: 10000 dead tuples. Autovacuum off for the table: only the runbook cleans it. */
  private static void makeDeadTuples() throws Exception {
    cluster.execute("bloat", "drop table if exists \"Events\"",
        "create table \"Events\" (id int, payload text) with (autovacuum_enabled = false)",
        "insert into \"Events\" select g, repeat('x', 50) from generate_series(1, 20000) g",
        "analyze \"Events\"",
        "delete from \"Events\" where id % 2 = 0");
    awaitDeadTuples(10_000);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void worker() {
    Supplier<KubernetesClient> noKubernetes = () -> {
      throw new IllegalStateException("host targets need no Kubernetes");
    };
    SecretResolver secrets = new SecretResolver(noKubernetes);
    TargetRegistry registry = new TargetRegistry(new TargetsProperties(Map.of(
        "sleepy", HostTargets.of(cluster, List.of("sleepy")),
        "shop", HostTargets.of(cluster, List.of("shop")),
        "bloat", HostTargets.of(cluster, List.of("bloat")))));
    env = TestWorkflowEnvironment.newInstance();
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    Worker worker = env.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(ResolveSlowQueriesWorkflowImpl.class);
    worker.registerActivitiesImplementations(new ApprovalVerifier(null, true), new SlowQueryActivitiesImpl(registry, new PostgresConnector(secrets), secrets));
    env.start();
  }

  @AfterEach
  void release() throws Exception {
    for (int pid : heldPids) {
      cluster.execute("postgres", "select pg_terminate_backend(" + pid + ")");
    }
    running.forEach(CompletableFuture::join);
    for (Connection c : held) {
      c.close();
    }
    env.close();
  }

  /** A query running for more than a second, and a run (threshold 1 s) waiting at its gate. */
  private GateView aLongQueryAtTheGate() throws Exception {
    Connection sleeper = open("sleepy");
    sleeperPid = pid(sleeper);
    sleeping = run(sleeper, "select pg_sleep(120)");
    awaitRunningFor(sleeperPid, 1);
    wf = start("sleepy", 1);
    return GatedRuns.awaitGate(wf::approvals);
  }

  @Test
  void anApprovedCancelEndsTheLongRunningQuery() throws Exception {
    GateView gate = aLongQueryAtTheGate();
    int pid = sleeperPid;
    assertThat(gate.gateId()).isEqualTo(ResolveSlowQueriesWorkflow.CANCEL_GATE);
    assertThat(gate.description()).contains("cancel pid " + pid + " (" + APP + "@127.0.0.1 as app on sleepy, active since ")
        .contains("\"select pg_sleep(120)\"").contains("because running for ");
    assertThat(sleeping).as("nothing is cancelled before the approval").isNotDone();

    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
    SlowQueryResult result = WorkflowStub.fromTyped(wf).getResult(SlowQueryResult.class);

    assertThat(result.slow()).extracting(Backend::pid).containsExactly(pid);
    assertThat(result.status()).isEqualTo(SlowQueryStatus.DONE);
    assertThat(result.stopping().stopped()).containsExactly(pid);
    assertThat(sleeping.get()).as("the client got the cancel error").contains("57014");
    assertThat(result.checks()).singleElement().satisfies(c -> assertThat(c)
        .isEqualTo("after stopping pid(s) [" + pid + "]: none of the stopped backends is still running;"
            + " 0 quer(ies) over the threshold and 0 blocked session(s) now: cured"));
    assertThat(alive(pid)).as("a cancel keeps the session").isTrue();
    GatedRuns.saveHistory(env.getWorkflowClient(), wf, "resolve-slow-queries");
  }

  @Test
  void aRejectedCancelLeavesTheQueryRunning() throws Exception {
    GateView gate = aLongQueryAtTheGate();
    int pid = sleeperPid;
    wf.reject(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "the nightly report", null));
    SlowQueryResult result = WorkflowStub.fromTyped(wf).getResult(SlowQueryResult.class);

    assertThat(result.status()).isEqualTo(SlowQueryStatus.REJECTED);
    assertThat(result.reason()).contains("rejected by bob: the nightly report");
    assertThat(result.stopping()).isNull();
    assertThat(sleeping).isNotDone();
    assertThat(state(pid)).isEqualTo("active");
  }

  @Test
  void aQueryThatFinishedBeforeTheApprovalIsSkippedAndNamed() throws Exception {
    GateView gate = aLongQueryAtTheGate();
    cluster.execute("postgres", "select pg_cancel_backend(" + sleeperPid + ")");
    assertThat(sleeping.get()).contains("57014");
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
    SlowQueryResult result = WorkflowStub.fromTyped(wf).getResult(SlowQueryResult.class);

    assertThat(result.stopping().stopped()).isEmpty();
    assertThat(result.stopping().skipped()).singleElement().satisfies(s -> assertThat(s)
        .startsWith("pid " + sleeperPid + " (" + APP + "@127.0.0.1 as app on sleepy, active since ")
        .endsWith(": it finished (now idle), left alone"));
    assertThat(result.findings()).anySatisfy(f -> assertThat(f).startsWith("skipped pid " + sleeperPid + " "));
    assertThat(result.actions()).isEmpty();
    assertThat(alive(sleeperPid)).isTrue();
  }

  @Test
  void anApprovedFixEndsTheIdleInTransactionBlockerAndTheBlockedStatementsComplete() throws Exception {
    Connection holder = open("shop");
    int holderPid = pid(holder);
    holder.setAutoCommit(false);
    try (Statement st = holder.createStatement()) {
      st.execute("update accounts set balance = balance - 1 where id = 1"); // row lock held, then idle in transaction
    }
    Connection first = open("shop");
    Connection second = open("shop");
    int firstPid = pid(first);
    int secondPid = pid(second);
    CompletableFuture<String> firstUpdate = run(first, "update accounts set balance = balance + 1 where id = 1");
    awaitBlocked(firstPid);
    CompletableFuture<String> secondUpdate = run(second, "update accounts set balance = balance + 2 where id = 1");
    awaitBlocked(secondPid);

    wf = start("shop", 0);
    GateView gate = GatedRuns.awaitGate(wf::approvals);
    assertThat(gate.gateId()).isEqualTo(ResolveSlowQueriesWorkflow.CANCEL_GATE);
    assertThat(gate.description())
        .startsWith("terminate pid " + holderPid + " (" + APP + "@127.0.0.1 as app on shop, idle in transaction, in a transaction since ")
        .contains("because it blocks pid(s) [" + firstPid + ", " + secondPid + "]; it is idle in transaction, so only ending the session releases its locks")
        .doesNotContain("cancel pid " + firstPid).doesNotContain("cancel pid " + secondPid);

    // A rejection would change nothing; the approval ends the blocker, and both updates go through.
    assertThat(firstUpdate).isNotDone();
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
    SlowQueryResult result = WorkflowStub.fromTyped(wf).getResult(SlowQueryResult.class);

    assertThat(result.locks().waits()).extracting(LockWait::pid).containsExactlyInAnyOrder(firstPid, secondPid);
    assertThat(result.locks().waits()).filteredOn(w -> w.pid() == firstPid).singleElement()
        .satisfies(w -> assertThat(w.blockedBy()).containsExactly(holderPid));
    assertThat(result.locks().blockers()).singleElement().satisfies(b -> {
      assertThat(b.pid()).isEqualTo(holderPid);
      assertThat(b.stop()).isEqualTo(StopMethod.TERMINATE);
      assertThat(b.state()).isEqualTo("idle in transaction");
      assertThat(b.query()).isEqualTo("update accounts set balance = balance - 1 where id = 1");
    });
    assertThat(result.slow()).as("blocked statements are lock waits, not slow queries to cancel").isEmpty();
    assertThat(result.stopping().stopped()).containsExactly(holderPid);
    assertThat(alive(holderPid)).isFalse();
    assertThat(firstUpdate.get()).isEqualTo("ok");
    assertThat(secondUpdate.get()).isEqualTo("ok");
    assertThat(balance()).as("the blocker's change rolled back, both blocked ones committed").isEqualTo(103);
    assertThat(result.checks()).singleElement().satisfies(c -> assertThat(c).endsWith("0 blocked session(s) now: cured"));
  }

  @Test
  void aRejectedFixLeavesTheBlockerAndTheBlocked() throws Exception {
    Connection holder = open("shop");
    int holderPid = pid(holder);
    holder.setAutoCommit(false);
    try (Statement st = holder.createStatement()) {
      st.execute("lock table accounts in exclusive mode");
    }
    Connection blocked = open("shop");
    int blockedPid = pid(blocked);
    CompletableFuture<String> update = run(blocked, "update accounts set balance = 0 where id = 2");
    awaitBlocked(blockedPid);

    wf = start("shop", 0);
    GateView gate = GatedRuns.awaitGate(wf::approvals);
    assertThat(gate.description()).startsWith("terminate pid " + holderPid + " ");
    wf.reject(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "a migration, let it finish", null));
    SlowQueryResult result = WorkflowStub.fromTyped(wf).getResult(SlowQueryResult.class);

    assertThat(result.status()).isEqualTo(SlowQueryStatus.REJECTED);
    assertThat(alive(holderPid)).isTrue();
    assertThat(state(blockedPid)).isEqualTo("active");
    assertThat(update).isNotDone();
    holder.rollback();
    assertThat(update.get()).isEqualTo("ok");
  }

  @Test
  void anApprovedVacuumRemovesTheDeadTuples() throws Exception {
    makeDeadTuples();
    wf = start("bloat", null);
    GateView gate = GatedRuns.awaitGate(wf::approvals);
    assertThat(gate.gateId()).isEqualTo(ResolveSlowQueriesWorkflow.VACUUM_GATE);
    assertThat(gate.description()).contains("VACUUM (ANALYZE) of 1 table(s), one at a time (not the whole database): bloat.public.Events (10000 dead, ");
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
    SlowQueryResult result = WorkflowStub.fromTyped(wf).getResult(SlowQueryResult.class);

    assertThat(result.statistics().needVacuum()).extracting(TableStats::name).containsExactly("bloat.public.Events");
    assertThat(result.statistics().notes()).as("pg_stat_statements is there and readable").isEmpty();
    assertThat(result.statistics().statements()).isNotEmpty().allSatisfy(s -> assertThat(s.database()).isEqualTo("bloat"));
    assertThat(result.vacuumed().tables()).containsExactly("bloat.public.Events");
    assertThat(result.checks()).singleElement().satisfies(c -> assertThat(c)
        .startsWith("after VACUUM (ANALYZE): bloat.public.Events: dead tuples 10000 -> 0, last vacuum 20").endsWith(": helped"));
    assertThat(deadTuples()).isZero();
  }

  @Test
  void aRejectedVacuumLeavesTheDeadTuples() throws Exception {
    makeDeadTuples();
    wf = start("bloat", null);
    GateView gate = GatedRuns.awaitGate(wf::approvals);
    wf.reject(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "tonight", null));
    SlowQueryResult result = WorkflowStub.fromTyped(wf).getResult(SlowQueryResult.class);
    assertThat(result.status()).isEqualTo(SlowQueryStatus.REJECTED);
    assertThat(result.vacuumed()).isNull();
    assertThat(deadTuples()).isEqualTo(10_000);
  }

  private ResolveSlowQueriesWorkflow start(String target, Integer seconds) {
    ResolveSlowQueriesWorkflow wf = env.getWorkflowClient().newWorkflowStub(
        ResolveSlowQueriesWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).build());
    WorkflowClient.start(wf::resolve, new SlowQueryRequest(target, null, seconds, false, "alice"));
    return wf;
  }

  /** Runs a statement on its own thread: "ok", or the SQLSTATE and message it failed with. */
  private CompletableFuture<String> run(Connection c, String sql) {
    CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
      try (Statement st = c.createStatement()) {
        st.execute(sql);
        return "ok";
      } catch (SQLException e) {
        return e.getSQLState() + " " + e.getMessage();
      }
    }, OWN_THREAD);
    running.add(f);
    return f;
  }

  private Connection open(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "app");
    p.setProperty("password", "app");
    p.setProperty("ApplicationName", APP);
    Connection c = DriverManager.getConnection(cluster.jdbcUrl(database), p);
    held.add(c);
    heldPids.add(pid(c));
    return c;
  }

  private static int pid(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String single(String database, String sql) throws SQLException {
    try (Connection c = cluster.connect(database);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static String state(int pid) throws SQLException {
    return single("postgres", "select state from pg_stat_activity where pid = " + pid);
  }

  private static boolean alive(int pid) throws SQLException {
    return single("postgres", "select 1 from pg_stat_activity where pid = " + pid) != null;
  }

  private static int balance() throws SQLException {
    return Integer.parseInt(single("shop", "select balance from accounts where id = 1"));
  }

  private static long deadTuples() throws SQLException {
    return Long.parseLong(single("bloat", "select n_dead_tup from pg_stat_user_tables where relname = 'Events'"));
  }

  private static void awaitRunningFor(int pid, int seconds) throws Exception {
    await("pid " + pid + " active for more than " + seconds + " s", () -> single("postgres",
        "select 1 from pg_stat_activity where state = 'active' and now() - query_start > make_interval(secs => " + seconds + ") and pid = " + pid) != null);
  }

  private static void awaitBlocked(int pid) throws Exception {
    await("pid " + pid + " waiting for a lock", () -> single("postgres",
        "select 1 from pg_stat_activity where cardinality(pg_blocking_pids(pid)) > 0 and pid = " + pid) != null);
  }

  /** The deleting session's statistics reach the shared statistics a moment after it committed. */
  private static void awaitDeadTuples(long dead) throws Exception {
    await(dead + " dead tuples reported", () -> deadTuples() == dead);
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(String what, Condition condition) throws Exception {
    for (int i = 0; i < 300; i++) {
      if (condition.holds()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not within 15 s: " + what);
  }
}
