package io.pgrunbooks.workflows.crashrecovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.approval.TestApprovals;
import io.pgrunbooks.workflows.assessment.Readiness;
import io.pgrunbooks.workflows.assessment.ReadinessState;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.restore.RestoreFromBackupWorkflow;
import io.pgrunbooks.workflows.restore.RestoreRequest;
import io.pgrunbooks.workflows.restore.RestoreResult;
import io.pgrunbooks.workflows.restore.RestoreStatus;
import io.pgrunbooks.workflows.approval.ApprovalSignals;
import io.pgrunbooks.workflows.approval.GatedRun;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RecoverCrashedPodWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(RecoverCrashedPodWorkflowImpl.class, StubRestore.class)
          .setDoNotStart(true)
          .build();

  static final String UID = "0b6f-old";
  static final ServerState CRASHING = new ServerState(
      Hosting.KUBERNETES, "link-services/postgres-primary-0", true, false, UID, "Running", 7,
      List.of("postgres: waiting CrashLoopBackOff; last terminated OOMKilled, exit 137"), List.of("Warning BackOff"), "node-a",
      "data-postgres-primary-0", null);
  static final RecoveryCheck DOWN = new RecoveryCheck(new Readiness(ReadinessState.NO_RESPONSE, "db:5432", "refused", null, 1), false, null);
  static final RecoveryCheck BACK = new RecoveryCheck(new Readiness(ReadinessState.ACCEPTING, "db:5432", null, null, 1), true, 40.0);
  static final StorageUsage HALF = new StorageUsage("/var/lib/postgresql/data", 100, 50, 50, 50.0);
  static final LogFile OLD = new LogFile("postgresql-2026-11-01_000000.log", 1000, "2026-11-01T00:00:00Z");

  /** Stands in for RestoreFromBackup: records its id and request, returns RESTORED. */
  public static class StubRestore extends GatedRun implements RestoreFromBackupWorkflow {
    static volatile String id;
    static volatile RestoreRequest seen;

    @Override
    public RestoreResult restore(RestoreRequest request) {
      id = Workflow.getInfo().getWorkflowId();
      seen = request;
      return new RestoreResult(RestoreStatus.RESTORED, request.target(), request.database(), null, null, "link_users_restore_x",
          "link_users_pre_restore_x", null, List.of(), List.of(), List.of(), "none", null, null);
    }
  }

  private final CrashRecoveryActivities steps = mock(CrashRecoveryActivities.class, withSettings().withoutAnnotations());
  private final EscalationActivities escalation = mock(EscalationActivities.class, withSettings().withoutAnnotations());

  private void start(TestWorkflowEnvironment env, Worker worker, RecoveryCheck first, boolean full, List<LogFile> old) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    when(steps.describeServer("link")).thenReturn(CRASHING);
    when(steps.readServerLogs("link")).thenReturn(new ServerLogs(List.of("kubectl logs"), List.of("FATAL: out of memory"), List.of(),
        List.of("FATAL: out of memory"), List.of()));
    when(steps.checkVolume("link", "data-postgres-primary-0")).thenReturn(
        new VolumeState("data-postgres-primary-0", "Bound", "10Gi", "10Gi", "standard", List.of(), HALF, full, List.of()));
    when(steps.checkDataDirectorySpace("link")).thenReturn(new DiskUsage("/var/lib/postgresql/data", 50, List.of(new DiskEntry("base", 40)), null));
    when(steps.checkNodeResources("link", "node-a")).thenReturn(null);
    when(steps.findOldLogs("link", 7)).thenReturn(new OldLogs("/var/lib/postgresql/data/log", ".*", old, null));
    when(steps.recheckServer("link")).thenReturn(first, BACK);
    when(steps.restartDatabase("link", UID)).thenReturn(new RestartOutcome("deleted pod link-services/postgres-primary-0", UID, "new", null));
    when(steps.deleteOldLogs(anyString(), anyString(), any(), anyInt())).thenReturn(new LogCleanup(List.of(OLD.name()), List.of(), 1000));
    worker.registerActivitiesImplementations(TestApprovals.trustingNamespace(), steps, escalation);
    env.start();
  }

  private static RecoverCrashedPodWorkflow run(WorkflowClient client, Worker worker, String restore, boolean dryRun) {
    RecoverCrashedPodWorkflow wf = client.newWorkflowStub(RecoverCrashedPodWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("destructive/link").build());
    WorkflowClient.start(wf::recover, new CrashRecoveryRequest("link", null, restore, dryRun, "alice"));
    return wf;
  }

  private static GateView pending(TestWorkflowEnvironment env, ApprovalSignals wf, String gateId) {
    env.sleep(Duration.ofSeconds(30));
    GateView gate = wf.approvals().get(wf.approvals().size() - 1);
    assertThat(gate.gateId()).isEqualTo(gateId);
    return gate;
  }

  private static void approve(ApprovalSignals wf, GateView gate) {
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
  }

  private static CrashRecoveryResult result(RecoverCrashedPodWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(CrashRecoveryResult.class);
  }

  @Test
  void anApprovedRestartDeletesThePodByItsUidAndSaysItHelped(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, DOWN, false, List.of());
    RecoverCrashedPodWorkflow wf = run(client, worker, null, false);
    GateView gate = pending(env, wf, RecoverCrashedPodWorkflow.RESTART_GATE);
    assertThat(gate.description()).startsWith("delete pod link-services/postgres-primary-0 (uid " + UID + ")")
        .contains("FATAL: out of memory");
    approve(wf, gate);
    CrashRecoveryResult result = result(wf);

    assertThat(result.status()).isEqualTo(RecoveryStatus.DONE);
    verify(steps).restartDatabase("link", UID);
    assertThat(result.checks()).singleElement().satisfies(c -> assertThat(c).endsWith("(back: it helped)"));
    assertThat(result.actions()).containsExactly("deleted pod link-services/postgres-primary-0");
  }

  @Test
  void aRejectedRestartChangesNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, DOWN, false, List.of(OLD));
    RecoverCrashedPodWorkflow wf = run(client, worker, null, false);
    GateView gate = pending(env, wf, RecoverCrashedPodWorkflow.RESTART_GATE);
    wf.reject(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "no", null));
    CrashRecoveryResult result = result(wf);

    assertThat(result.status()).isEqualTo(RecoveryStatus.REJECTED);
    verify(steps, never()).restartDatabase(anyString(), anyString());
    verify(steps, never()).deleteOldLogs(anyString(), anyString(), any(), anyInt());
    assertThat(result.actions()).isEmpty();
  }

  @Test
  void aDryRunPlansEveryStepAndChangesNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, DOWN, false, List.of(OLD));
    RecoverCrashedPodWorkflow wf = run(client, worker, "link_users", true);
    CrashRecoveryResult result = result(wf);

    assertThat(result.status()).isEqualTo(RecoveryStatus.PLANNED);
    assertThat(result.plan()).anySatisfy(p -> assertThat(p).isEqualTo("gate restart-database: wait for approval"))
        .anySatisfy(p -> assertThat(p).isEqualTo("gate delete-old-logs: wait for approval"))
        .anySatisfy(p -> assertThat(p).contains("as child destructive/link/restore"));
    assertThat(result.decisions()).isEmpty();
    verify(steps, never()).restartDatabase(anyString(), anyString());
  }

  @Test
  void aFullDiskIsScenarioFiveNotARestart(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, DOWN, true, List.of(OLD));
    RecoverCrashedPodWorkflow wf = run(client, worker, null, false);
    GateView gate = pending(env, wf, RecoverCrashedPodWorkflow.LOG_CLEANUP_GATE);
    assertThat(gate.description()).contains("delete 1 server log file(s) older than 7 days (1000 bytes)", OLD.describe());
    approve(wf, gate);
    CrashRecoveryResult result = result(wf);

    verify(steps, never()).restartDatabase(anyString(), anyString());
    verify(steps).deleteOldLogs("link", "/var/lib/postgresql/data/log", List.of(OLD), 7);
    assertThat(result.findings()).anySatisfy(f -> assertThat(f).contains("Scenario 5 (ReclaimDiskSpace)"));
    assertThat(result.status()).isEqualTo(RecoveryStatus.DONE);
  }

  @Test
  void anApprovedRestoreRunsRestoreFromBackupAsAChildUnderItsOwnId(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, BACK, false, List.of());
    RecoverCrashedPodWorkflow wf = run(client, worker, "link_users", false);
    GateView gate = pending(env, wf, RecoverCrashedPodWorkflow.RESTORE_GATE);
    assertThat(gate.description()).contains("database link_users", "child workflow destructive/link/restore");
    approve(wf, gate);
    CrashRecoveryResult result = result(wf);

    assertThat(StubRestore.id).isEqualTo("destructive/link/restore");
    assertThat(StubRestore.seen.database()).isEqualTo("link_users");
    assertThat(StubRestore.seen.requestedBy()).isEqualTo("alice");
    assertThat(result.restore().status()).isEqualTo(RestoreStatus.RESTORED);
    assertThat(result.status()).isEqualTo(RecoveryStatus.DONE);
    verify(steps, never()).restartDatabase(anyString(), anyString());
  }
}
