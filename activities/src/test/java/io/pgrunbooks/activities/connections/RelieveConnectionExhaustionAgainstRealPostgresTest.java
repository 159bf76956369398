package io.pgrunbooks.activities.connections;

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
import io.pgrunbooks.workflows.connections.ConnectionDiagnosis;
import io.pgrunbooks.workflows.connections.ConnectionRequest;
import io.pgrunbooks.workflows.connections.IdleBackend;
import io.pgrunbooks.workflows.connections.RelieveConnectionExhaustionWorkflow;
import io.pgrunbooks.workflows.connections.RelieveConnectionExhaustionWorkflowImpl;
import io.pgrunbooks.workflows.connections.RelieveResult;
import io.pgrunbooks.workflows.connections.RelieveStatus;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runbook end to end against a real PostgreSQL with max_connections 20, nearly exhausted: 13
 * idle sessions of an application, one idle superuser session and one busy session (pg_sleep).
 */
class RelieveConnectionExhaustionAgainstRealPostgresTest {
  private static final String TASK_QUEUE = "connections";
  private static final String APP = "exhaustion-test-app";

  /** Each session's statement on a thread of its own (the common pool may have one thread). */
  private static final java.util.concurrent.Executor OWN_THREAD = r -> Thread.ofPlatform().daemon().start(r);

  static PostgresCluster cluster;

  private final List<Connection> held = new ArrayList<>();
  private final List<Integer> idlePids = new ArrayList<>();
  private int superuserPid;
  private int activePid;
  private int ownPid;
  private int walSenderPid;
  private CompletableFuture<Void> busy;
  private TestWorkflowEnvironment env;

  @BeforeAll
  static void startCluster() {
    cluster = PostgresCluster.start("connections", Map.of("max_connections", "20"));
    cluster.execute("postgres", "create role app login password 'app'", "create role repl login replication password 'repl'");
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void exhaust() throws Exception {
    for (int i = 0; i < 13; i++) {
      Connection c = open("app", "app");
      idlePids.add(pid(c));
    }
    Connection su = open("postgres", cluster.password());
    superuserPid = pid(su);
    ownPid = pid(open("app", "app", ConnectionActivitiesImpl.OWN_APPLICATION)); // another worker of this service
    walSenderPid = walSender();
    Connection active = open("app", "app");
    activePid = pid(active);
    busy = CompletableFuture.runAsync(() -> {
      try (Statement st = active.createStatement()) {
        st.execute("select pg_sleep(60)");
      } catch (SQLException e) {
        // cancelled at the end of the test
      }
    }, OWN_THREAD);
    waitUntilActive(activePid);

    TargetRegistry registry = new TargetRegistry(new TargetsProperties(Map.of("pg", HostTargets.of(cluster, List.of("postgres")))));
    Supplier<KubernetesClient> noKubernetes = () -> {
      throw new IllegalStateException("host targets need no Kubernetes");
    };
    ConnectionActivitiesImpl activities =
        new ConnectionActivitiesImpl(registry, new PostgresConnector(new SecretResolver(noKubernetes)), noKubernetes);
    env = TestWorkflowEnvironment.newInstance();
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    Worker worker = env.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(RelieveConnectionExhaustionWorkflowImpl.class);
    worker.registerActivitiesImplementations(new ApprovalVerifier(null, true), activities);
    env.start();
  }

  @AfterEach
  void release() throws Exception {
    cluster.execute("postgres", "select pg_cancel_backend(" + activePid + ")");
    busy.join();
    for (Connection c : held) {
      c.close();
    }
    env.close();
  }

  @Test
  void approvedTerminationEndsExactlyTheIdleApplicationSessions() throws Exception {
    RelieveConnectionExhaustionWorkflow wf = start();
    GateView gate = GatedRuns.awaitGate(wf::approvals);
    for (int pid : idlePids) {
      assertThat(gate.description()).as("the gate names every session to end").contains("pid " + pid + " (" + APP + "@127.0.0.1 as app");
    }
    for (int spared : List.of(superuserPid, activePid, ownPid, walSenderPid)) {
      assertThat(gate.description()).doesNotContain("pid " + spared + " ");
    }
    assertThat(alive()).as("nothing ended before the approval").containsAll(idlePids);

    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
    RelieveResult result = WorkflowStub.fromTyped(wf).getResult(RelieveResult.class);

    ConnectionDiagnosis found = result.diagnosis();
    assertThat(found.usage().clientBackends()).as("13 idle + superuser + other worker + busy + the runbook's own").isEqualTo(17);
    assertThat(found.usage().maxConnections()).isEqualTo(20);
    assertThat(found.usage().underThreshold()).isFalse();
    assertThat(found.byState()).containsEntry("idle", 15).containsEntry("active", 2);
    assertThat(found.sources()).anySatisfy(s -> {
      assertThat(s.application()).isEqualTo(APP);
      assertThat(s.user()).isEqualTo("app");
      assertThat(s.state()).isEqualTo("idle");
      assertThat(s.connections()).isEqualTo(13);
    });
    assertThat(found.idle()).extracting(IdleBackend::pid).containsExactlyInAnyOrderElementsOf(idlePids);

    assertThat(result.status()).isEqualTo(RelieveStatus.DONE);
    assertThat(result.termination().terminated()).containsExactlyInAnyOrderElementsOf(idlePids);
    assertThat(result.termination().skipped()).isEmpty();
    Set<Integer> alive = alive();
    assertThat(alive).doesNotContainAnyElementsOf(idlePids).contains(superuserPid, activePid, ownPid, walSenderPid);
    assertThat(result.checks()).singleElement().satisfies(c -> assertThat(c).contains(", under the 80.0 % threshold"));
    GatedRuns.saveHistory(env.getWorkflowClient(), wf, "relieve-connection-exhaustion");
  }

  @Test
  void aRejectedGateLeavesEverySessionAlive() throws Exception {
    RelieveConnectionExhaustionWorkflow wf = start();
    GateView gate = GatedRuns.awaitGate(wf::approvals);
    wf.reject(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "not yet", null));
    RelieveResult result = WorkflowStub.fromTyped(wf).getResult(RelieveResult.class);

    assertThat(result.status()).isEqualTo(RelieveStatus.REJECTED);
    assertThat(result.termination()).isNull();
    assertThat(alive()).containsAll(idlePids).contains(superuserPid, activePid, ownPid, walSenderPid);
  }

  @Test
  void anApprovedSessionThatBecameBusyIsSkipped() throws Exception {
    RelieveConnectionExhaustionWorkflow wf = start();
    GateView gate = GatedRuns.awaitGate(wf::approvals);
    int woke = idlePids.get(0);
    Connection c = held.get(0);
    CompletableFuture<Void> working = CompletableFuture.runAsync(() -> {
      try (Statement st = c.createStatement()) {
        st.execute("select pg_sleep(5)");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }, OWN_THREAD);
    waitUntilActive(woke);
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
    RelieveResult result = WorkflowStub.fromTyped(wf).getResult(RelieveResult.class);
    working.join();

    assertThat(result.termination().terminated()).hasSize(12).doesNotContain(woke);
    assertThat(result.termination().skipped()).singleElement()
        .satisfies(s -> assertThat(s).startsWith("pid " + woke + " ").endsWith(": now active, left alone"));
    assertThat(alive()).contains(woke);
  }

  private RelieveConnectionExhaustionWorkflow start() {
    RelieveConnectionExhaustionWorkflow wf = env.getWorkflowClient().newWorkflowStub(
        RelieveConnectionExhaustionWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).build());
    WorkflowClient.start(wf::relieve, new ConnectionRequest("pg", 0, null, false, "alice"));
    return wf;
  }

  private Connection open(String user, String password) throws SQLException {
    return open(user, password, APP);
  }

  private Connection open(String user, String password, String application) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("ApplicationName", application);
    Connection c = DriverManager.getConnection(cluster.jdbcUrl("postgres"), p);
    held.add(c);
    return c;
  }

  /** A logical-replication walsender of a non-superuser (backend_type walsender), idle between commands. */
  private int walSender() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "repl");
    p.setProperty("password", "repl");
    p.setProperty("ApplicationName", APP);
    p.setProperty("replication", "database");
    p.setProperty("assumeMinServerVersion", "9.4");
    p.setProperty("preferQueryMode", "simple");
    held.add(DriverManager.getConnection(cluster.jdbcUrl("postgres"), p));
    try (Connection c = cluster.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pid from pg_stat_activity where backend_type = 'walsender' and usename = 'repl' and state = 'idle'")) {
      assertThat(rs.next()).as("the walsender is there, idle").isTrue();
      return rs.getInt(1);
    }
  }

  private static int pid(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static Set<Integer> alive() throws SQLException {
    Set<Integer> pids = new HashSet<>();
    try (Connection c = cluster.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pid from pg_stat_activity")) {
      while (rs.next()) {
        pids.add(rs.getInt(1));
      }
    }
    return pids;
  }

  private static void waitUntilActive(int pid) throws Exception {
    for (int i = 0; i < 100; i++) {
      try (Connection c = cluster.connect("postgres");
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select state from pg_stat_activity where pid = " + pid)) {
        if (rs.next() && "active".equals(rs.getString(1))) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("pid " + pid + " did not become active");
  }
}
