package io.pgrunbooks.activities.crashrecovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.host.LocalClusterHosting;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.ReadinessProbe;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.serverfiles.HostShell;
import io.pgrunbooks.activities.serverfiles.ServerShells;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.GatedRuns;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.ApprovalVerifier;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.crashrecovery.CrashRecoveryRequest;
import io.pgrunbooks.workflows.crashrecovery.CrashRecoveryResult;
import io.pgrunbooks.workflows.crashrecovery.LogFile;
import io.pgrunbooks.workflows.crashrecovery.RecoverCrashedPodWorkflow;
import io.pgrunbooks.workflows.crashrecovery.RecoverCrashedPodWorkflowImpl;
import io.pgrunbooks.workflows.crashrecovery.RecoveryStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1 end to end on a host: a real PostgreSQL 15 whose postmaster is killed (kill -9, leaving
 * a stale postmaster.pid), and a log directory with old server logs beside a recent one and files
 * that are not server logs.
 */
class RecoverCrashedPodAgainstRealPostgresTest {
  private static final String TASK_QUEUE = "crash-recovery";
  private static final Map<String, String> SETTINGS = Map.of("logging_collector", "on", "log_directory", "log");

  static PostgresCluster cluster;
  private TestWorkflowEnvironment env;

  @BeforeAll
  static void startCluster() {
    cluster = PostgresCluster.start("crash", SETTINGS);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void worker() throws Exception {
    if (!accepting()) {
      cluster.restart(SETTINGS);
    }
    TargetRegistry registry = new TargetRegistry(new TargetsProperties(Map.of("pg", HostTargets.of(cluster, List.of("postgres")))));
    Supplier<KubernetesClient> noKubernetes = () -> {
      throw new IllegalStateException("host targets need no Kubernetes");
    };
    PostgresConnector connector = new PostgresConnector(new SecretResolver(noKubernetes));
    CrashRecoveryActivitiesImpl activities = new CrashRecoveryActivitiesImpl(
        registry, connector, new ReadinessProbe(connector), new ClusterHostings(List.of(new LocalClusterHosting())),
        new ServerShells(List.of(new HostShell())), List.of(new HostCrashRecovery()));
    env = TestWorkflowEnvironment.newInstance();
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    Worker worker = env.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(RecoverCrashedPodWorkflowImpl.class);
    worker.registerActivitiesImplementations(new ApprovalVerifier(null, true), activities);
    env.start();
  }

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void anApprovedRestartBringsAKilledServerBack() throws Exception {
    long killed = crash();
    RecoverCrashedPodWorkflow wf = start(7);
    GateView gate = GatedRuns.awaitGate(wf::approvals, RecoverCrashedPodWorkflow.RESTART_GATE);
    assertThat(gate.description()).startsWith("pg_ctl start of the server at " + cluster.dataDirectory());
    assertThat(accepting()).as("nothing started before the approval").isFalse();

    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
    CrashRecoveryResult result = WorkflowStub.fromTyped(wf).getResult(CrashRecoveryResult.class);

    assertThat(result.server().running()).as("the diagnosis found it down").isFalse();
    assertThat(result.server().pidFile()).contains("names pid " + killed + ", which is not running (stale");
    assertThat(result.logs().fatal()).as("the log's reason")
        .anySatisfy(l -> assertThat(l).contains("FATAL:  terminating connection due to unexpected postmaster exit"));
    assertThat(result.logs().sources()).anySatisfy(s -> assertThat(s).startsWith(cluster.dataDirectory().resolve("log").toString()));
    assertThat(result.disk().entries()).extracting(e -> Path.of(e.path()).getFileName().toString()).contains("base", "pg_wal");
    assertThat(result.volume().fileSystem()).isNotNull();
    assertThat(result.status()).isEqualTo(RecoveryStatus.DONE);
    assertThat(result.restart().action()).startsWith("pg_ctl start");
    assertThat(result.restart().note()).contains("stale postmaster.pid was left to PostgreSQL");
    assertThat(result.checks()).singleElement().satisfies(c -> assertThat(c).contains("server ACCEPTING").endsWith("(back: it helped)"));
    assertThat(accepting()).isTrue();
    assertThat(cluster.postmasterPid()).isNotEqualTo(killed);
    GatedRuns.saveHistory(env.getWorkflowClient(), wf, "recover-crashed-pod");
  }

  @Test
  void aRejectedRestartLeavesTheServerDown() throws Exception {
    crash();
    RecoverCrashedPodWorkflow wf = start(7);
    GateView gate = GatedRuns.awaitGate(wf::approvals, RecoverCrashedPodWorkflow.RESTART_GATE);
    wf.reject(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "look first", null));
    CrashRecoveryResult result = WorkflowStub.fromTyped(wf).getResult(CrashRecoveryResult.class);

    assertThat(result.status()).isEqualTo(RecoveryStatus.REJECTED);
    assertThat(result.restart()).isNull();
    assertThat(result.checks()).isEmpty();
    assertThat(accepting()).isFalse();
    assertThat(Files.exists(cluster.dataDirectory().resolve("postmaster.pid"))).as("the stale pid file is not touched").isTrue();
  }

  @Test
  void exactlyTheOldServerLogsAreDeleted() throws Exception {
    Path logs = cluster.dataDirectory().resolve("log");
    Path old1 = file(logs, "postgresql-2020-01-01_000000.log", 30);
    Path old2 = file(logs, "postgresql-2020-01-02_000000.csv", 20);
    Path recent = file(logs, "postgresql-2020-01-03_000000.log", 2);
    Path notOurs = file(logs, "notes.txt", 40);
    Path otherLog = file(logs, "old.log", 40);
    Path outside = file(cluster.dataDirectory(), "postgresql-2020-01-01_000000.log", 40);

    RecoverCrashedPodWorkflow wf = start(7);
    GateView gate = GatedRuns.awaitGate(wf::approvals, RecoverCrashedPodWorkflow.LOG_CLEANUP_GATE);
    assertThat(gate.description()).contains("delete 2 server log file(s) older than 7 days", logs.toString(),
        "postgresql-2020-01-01_000000.log (11 bytes", "postgresql-2020-01-02_000000.csv (11 bytes");
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
    CrashRecoveryResult result = WorkflowStub.fromTyped(wf).getResult(CrashRecoveryResult.class);

    assertThat(result.oldLogs().files()).extracting(LogFile::name)
        .containsExactly("postgresql-2020-01-01_000000.log", "postgresql-2020-01-02_000000.csv");
    assertThat(result.logCleanup().deleted()).containsExactly("postgresql-2020-01-01_000000.log", "postgresql-2020-01-02_000000.csv");
    assertThat(result.logCleanup().bytesFreed()).isEqualTo(22);
    assertThat(old1).doesNotExist();
    assertThat(old2).doesNotExist();
    assertThat(recent).exists();
    assertThat(notOurs).exists();
    assertThat(otherLog).exists();
    assertThat(outside).exists();
    try (Stream<Path> left = Files.list(logs)) {
      assertThat(left.filter(p -> p.getFileName().toString().startsWith("postgresql-" + java.time.Year.now())))
          .as("the server's current log is kept").isNotEmpty();
    }
    assertThat(result.status()).isEqualTo(RecoveryStatus.DONE);
    assertThat(result.decisions()).extracting(d -> d.gateId()).containsExactly(RecoverCrashedPodWorkflow.LOG_CLEANUP_GATE);
    assertThat(result.checks()).singleElement().satisfies(c -> assertThat(c).contains("after deleting 2 old log file(s), 22 bytes"));
    Files.delete(outside);
  }

  /** kill -9 of the postmaster while a client is connected; returns its pid once its death is in the log. */
  private static long crash() throws Exception {
    long pid = cluster.postmasterPid();
    try (Connection idle = cluster.connect("postgres")) {
      Processes.signal(pid, "KILL");
      for (int i = 0; i < 200 && !logSays("unexpected postmaster exit"); i++) {
        Thread.sleep(50);
      }
    }
    assertThat(logSays("unexpected postmaster exit")).as("the backend logged the postmaster's death").isTrue();
    // Until its parent (here PID 1) reaps it, a killed postmaster is a zombie that kill(pid, 0) still finds.
    for (int i = 0; i < 600 && Files.exists(Path.of("/proc/" + pid)); i++) {
      Thread.sleep(50);
    }
    assertThat(Path.of("/proc/" + pid)).as("the killed postmaster was reaped").doesNotExist();
    assertThat(accepting()).isFalse();
    return pid;
  }

  private static boolean logSays(String text) throws IOException {
    try (Stream<Path> files = Files.list(cluster.dataDirectory().resolve("log"))) {
      for (Path p : files.toList()) {
        if (Files.readString(p).contains(text)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean accepting() {
    try (Connection c = cluster.connect("postgres")) {
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static Path file(Path dir, String name, int daysOld) throws IOException {
    Path p = Files.writeString(dir.resolve(name), "old lines\n\n");
    Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofDays(daysOld))));
    return p;
  }

  private RecoverCrashedPodWorkflow start(int days) {
    RecoverCrashedPodWorkflow wf = env.getWorkflowClient().newWorkflowStub(
        RecoverCrashedPodWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("destructive/pg").build());
    WorkflowClient.start(wf::recover, new CrashRecoveryRequest("pg", days, null, false, "alice"));
    return wf;
  }
}
