package io.pgrunbooks.workflows.backupfailure;

import static io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflowTest.pending;
import static io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflowTest.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.matches;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.approval.TestApprovals;
import io.pgrunbooks.workflows.assessment.AssessmentActivities;
import io.pgrunbooks.workflows.assessment.Readiness;
import io.pgrunbooks.workflows.assessment.ReadinessState;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.backupfailure.DatabaseService.DatabasePod;
import io.pgrunbooks.workflows.backupfailure.DatabaseService.ServiceEndpoints;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.response.IncidentReportActivities;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 1 of the backup-failure runbook for a server that runs but does not answer: the kubernetes
 * StatefulSet's rollout restart and the host's pg_ctl restart, each behind its gate (approved, rejected,
 * dry run), with the activities mocked.
 */
class ConnectivityRepairWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(
              RespondToBackupFailureWorkflowImpl.class, FakeBackupChildren.Backup.class, FakeBackupChildren.Verify.class)
          .setDoNotStart(true)
          .build();

  static final DatabaseService CRASHLOOP = new DatabaseService("link-services", "postgres-primary", true, 1, 0, 1,
      List.of(new ServiceEndpoints("postgres-primary", true, List.of(), List.of("10.0.0.5 (postgres-primary-0)"))),
      List.of(new DatabasePod("postgres-primary-0", "Running", false, 7, "CrashLoopBackOff", "OOMKilled, exit 137")),
      List.of("service postgres-primary has no ready endpoint: connections to it are refused or time out"));
  static final ConnectivityCheck K8S_DOWN = new ConnectivityCheck(Hosting.KUBERNETES, "postgres-primary.link-services.svc:5432",
      false, false, null, null, "TCP: Connection refused", CRASHLOOP, null);
  static final ConnectivityCheck K8S_UP = new ConnectivityCheck(Hosting.KUBERNETES, "postgres-primary.link-services.svc:5432",
      true, true, null, "*", null, new DatabaseService("link-services", "postgres-primary", true, 1, 1, 1,
          List.of(new ServiceEndpoints("postgres-primary", true, List.of("10.0.0.6 (postgres-primary-0)"), List.of())),
          List.of(new DatabasePod("postgres-primary-0", "Running", true, 0, null, null)), List.of()), null);
  static final ConnectivityCheck HOST_UNANSWERING = new ConnectivityCheck(Hosting.HOST, "127.0.0.1:5432", false, false, true,
      "127.0.0.1", "TCP: Connection refused", null, "pid 4242");
  static final String ROLLED = "kubectl rollout restart statefulset link-services/postgres-primary (pod template annotated"
      + " kubectl.kubernetes.io/restartedAt=2026-11-29T10:15:00Z); rolled out: 1 of 1 pod(s) updated and ready";

  private final BackupFailureActivities steps = mock(BackupFailureActivities.class, withSettings().withoutAnnotations());
  private final DatabaseRestartActivities restarts = mock(DatabaseRestartActivities.class, withSettings().withoutAnnotations());
  private final BackupAlertActivities alerts = mock(BackupAlertActivities.class, withSettings().withoutAnnotations());
  private final BackupStoreActivities storeChecks = mock(BackupStoreActivities.class, withSettings().withoutAnnotations());
  private final AssessmentActivities assessment = mock(AssessmentActivities.class, withSettings().withoutAnnotations());
  private final IncidentReportActivities reports = mock(IncidentReportActivities.class, withSettings().withoutAnnotations());

  /** Everything answers but the server, which answers {@code connectivity} in turn. */
  private void start(TestWorkflowEnvironment env, Worker worker, ConnectivityCheck first, ConnectivityCheck... then) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    when(alerts.readBackupAlert("link")).thenReturn(new BackupAlert(null, null, null, null, 86400, true, "no Prometheus here"));
    when(steps.readBackupJobStatus("link")).thenReturn(new BackupJobStatus(List.of(new BackupRun("kubernetes", "postgres-backup-1",
        "Failed", "2026-11-29T01:00:00Z", false, List.of(new BackupError("kubernetes:postgres-backup-1", null,
            "pg_dump: error: connection to server at \"postgres-primary\" failed: Connection refused")))), null, List.of()));
    when(assessment.checkReadiness("link")).thenReturn(new Readiness(ReadinessState.NO_RESPONSE, "127.0.0.1:5432", null, null, 3));
    when(assessment.checkDiskUsage("link")).thenReturn(new StorageUsage("/var/lib/postgresql/data", 100, 40, 60, 40.0));
    when(steps.checkDatabaseConnectivity("link")).thenReturn(first, then);
    when(steps.checkBackupRole("link")).thenReturn(RespondToBackupFailureWorkflowTest.ROLE_OK);
    when(steps.checkEncryptionKey("link")).thenReturn(RespondToBackupFailureWorkflowTest.KEY_OK);
    when(steps.probeObjectStore("link")).thenReturn(RespondToBackupFailureWorkflowTest.STORE_OK);
    when(storeChecks.checkBucketReplication("link")).thenReturn(RespondToBackupFailureWorkflowTest.NOT_REPLICATED);
    when(reports.storeIncidentReport(anyString(), anyString())).thenReturn("s3://reports/r.md");
    when(restarts.rolloutRestartStatefulSet(eq("link"), anyString(), anyString())).thenReturn(ROLLED);
    when(restarts.restartUnansweringCluster("link", "pid 4242")).thenReturn("pg_ctl restart -m fast of the cluster at /data"
        + " (pid 4242 before, pid 5151 now)");
    worker.registerActivitiesImplementations(TestApprovals.trustingNamespace(), steps, restarts, storeChecks, alerts, assessment, reports,
        mock(EscalationActivities.class, withSettings().withoutAnnotations()));
    env.start();
  }

  private static RespondToBackupFailureWorkflow run(WorkflowClient client, Worker worker, boolean dryRun) {
    RespondToBackupFailureWorkflow wf = client.newWorkflowStub(RespondToBackupFailureWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("bf-1").build());
    WorkflowClient.start(wf::respond, new BackupFailureRequest("link", null, dryRun, "alice"));
    return wf;
  }

  @Test
  void aCrashLoopingStatefulSetIsRolloutRestartedAfterApprovalThenBackedUpAndVerified(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, K8S_DOWN, K8S_UP);
    RespondToBackupFailureWorkflow wf = run(client, worker, false);

    GateView gate = pending(env, wf, RespondToBackupFailureWorkflow.RESTART_STATEFULSET_GATE);
    assertThat(gate.description())
        .startsWith("kubectl rollout restart statefulset link-services/postgres-primary: its 1 pod(s) replaced one by one")
        .contains("why: backups cannot connect: postgres-primary.link-services.svc:5432: TCP closed")
        .contains("pod postgres-primary-0: Running, not ready, 7 restart(s), CrashLoopBackOff, last terminated OOMKilled, exit 137")
        .doesNotContain("a restart may not help");
    verify(restarts, never()).rolloutRestartStatefulSet(any(), any(), any());
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), null, null));

    BackupFailureResult r = result(wf);
    assertThat(r.status()).as(r.report()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.classes()).containsExactly(FailureClass.CONNECTIVITY);
    assertThat(r.actions()).first().isEqualTo(ROLLED);
    assertThat(r.checks()).first().asString()
        .startsWith("after the rollout restart of statefulset link-services/postgres-primary: postgres-primary.link-services.svc:5432:"
            + " TCP open, SELECT 1 answered");
    assertThat(r.connectivity()).isEqualTo(K8S_UP);
    assertThat(r.report()).contains("restart-statefulset: approved by bob");
    // The token is the run's: a retry of the activity passes the same one, so the StatefulSet is patched once.
    verify(restarts, times(1)).rolloutRestartStatefulSet(eq("link"),
        matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), eq("bf-1/" + RespondToBackupFailureWorkflow.RESTART_STATEFULSET_GATE));
    verify(restarts, never()).restartUnansweringCluster(any(), any());
    verify(steps, never()).startStoppedDatabase(any());
  }

  @Test
  void aRejectedRolloutRestartEndsTheRunAndRestartsNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, K8S_DOWN);
    RespondToBackupFailureWorkflow wf = run(client, worker, false);
    GateView gate = pending(env, wf, RespondToBackupFailureWorkflow.RESTART_STATEFULSET_GATE);
    wf.reject(new ApprovalDecision(gate.gateId(), "carol", gate.digest(), "the DBA is on it", null));

    BackupFailureResult r = result(wf);
    assertThat(r.status()).isEqualTo(BackupFailureStatus.REJECTED);
    assertThat(r.reason()).contains("rejected by carol: the DBA is on it");
    assertThat(r.backupChildId()).isNull();
    verify(restarts, never()).rolloutRestartStatefulSet(any(), any(), any());
    verify(steps, never()).checkBackupRole(any());
  }

  @Test
  void aDryRunPlansTheRolloutRestartAndChangesNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, K8S_DOWN);
    BackupFailureResult r = result(run(client, worker, true));

    assertThat(r.status()).isEqualTo(BackupFailureStatus.PLANNED);
    assertThat(r.plan()).contains("gate restart-statefulset: wait for approval; kubectl rollout restart statefulset"
        + " link-services/postgres-primary; wait for the rollout; re-check connectivity");
    assertThat(r.decisions()).isEmpty();
    verify(restarts, never()).rolloutRestartStatefulSet(any(), any(), any());
  }

  @Test
  void readyPodsBehindAReadyServiceAreSaidToMakeARestartDoubtful(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    ConnectivityCheck refusedButHealthy = new ConnectivityCheck(Hosting.KUBERNETES, "db.example:5432", false, false, null,
        "localhost", "TCP: Connection timed out", K8S_UP.kubernetes(), null);
    start(env, worker, refusedButHealthy);
    RespondToBackupFailureWorkflow wf = run(client, worker, false);
    GateView gate = pending(env, wf, RespondToBackupFailureWorkflow.RESTART_STATEFULSET_GATE);
    assertThat(gate.description()).contains("listen_addresses 'localhost'")
        .contains("the pods are ready and the service has ready endpoints, so a restart may not help");
    wf.reject(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "listen_addresses first", null));
    assertThat(result(wf).status()).isEqualTo(BackupFailureStatus.REJECTED);
  }

  @Test
  void aRolloutThatNeverFinishesIsAFindingAndTheRunEndsBlocked(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, K8S_DOWN, K8S_DOWN);
    when(restarts.rolloutRestartStatefulSet(eq("link"), anyString(), anyString())).thenThrow(ApplicationFailure.newNonRetryableFailure(
        "the rollout restart of statefulset link-services/postgres-primary did not finish within 15 minutes: waiting for pods to be"
            + " ready: 0 of 1 ready", "RolloutNotFinished"));
    RespondToBackupFailureWorkflow wf = run(client, worker, false);
    GateView gate = pending(env, wf, RespondToBackupFailureWorkflow.RESTART_STATEFULSET_GATE);
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), null, null));

    BackupFailureResult r = result(wf);
    assertThat(r.status()).isEqualTo(BackupFailureStatus.BLOCKED);
    assertThat(r.findings()).contains("the rollout restart of statefulset link-services/postgres-primary failed: the rollout restart"
        + " of statefulset link-services/postgres-primary did not finish within 15 minutes: waiting for pods to be ready: 0 of 1 ready");
    assertThat(r.checks()).first().asString().contains("after the rollout restart").contains("TCP closed");
    assertThat(r.reason()).contains("the server does not answer");
    assertThat(r.backupChildId()).isNull();
  }

  @Test
  void withoutAStatefulSetThereIsNoGateOnlyAFinding(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    DatabaseService none = new DatabaseService("link-services", "postgres-primary", false, null, null, null, List.of(), List.of(),
        List.of("statefulset postgres-primary does not exist in namespace link-services"));
    start(env, worker, new ConnectivityCheck(Hosting.KUBERNETES, "db:5432", false, false, null, null, "refused", none, null));
    BackupFailureResult r = result(run(client, worker, false));

    assertThat(r.status()).isEqualTo(BackupFailureStatus.BLOCKED);
    assertThat(r.decisions()).isEmpty();
    assertThat(r.findings()).anySatisfy(f -> assertThat(f).contains("there is no StatefulSet to restart"));
    verify(restarts, never()).rolloutRestartStatefulSet(any(), any(), any());
  }

  @Test
  void aStatefulSetScaledToZeroIsNotRestartedButSaid(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    DatabaseService scaledDown = new DatabaseService("link-services", "postgres-primary", true, 0, null, null, List.of(), List.of(),
        List.of("statefulset postgres-primary has no pod"));
    start(env, worker, new ConnectivityCheck(Hosting.KUBERNETES, "db:5432", false, false, null, null, "refused", scaledDown, null));
    BackupFailureResult r = result(run(client, worker, false));

    assertThat(r.decisions()).isEmpty();
    assertThat(r.findings()).anySatisfy(f -> assertThat(f).contains("statefulset link-services/postgres-primary is scaled to 0 replicas"));
    verify(restarts, never()).rolloutRestartStatefulSet(any(), any(), any());
  }

  @Test
  void aHostClusterThatRunsButDoesNotAnswerIsRestartedAfterApproval(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, HOST_UNANSWERING, RespondToBackupFailureWorkflowTest.UP);
    RespondToBackupFailureWorkflow wf = run(client, worker, false);

    GateView gate = pending(env, wf, RespondToBackupFailureWorkflow.RESTART_GATE);
    assertThat(gate.description()).startsWith("pg_ctl restart -m fast of the running cluster of target link (pid 4242)")
        .contains("why: the cluster runs but backups cannot connect: 127.0.0.1:5432: TCP closed, SELECT 1 failed, cluster running"
            + " (pid 4242), listen_addresses '127.0.0.1'");
    verify(restarts, never()).restartUnansweringCluster(any(), any());
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), null, null));

    BackupFailureResult r = result(wf);
    assertThat(r.status()).as(r.report()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.actions()).first().isEqualTo("pg_ctl restart -m fast of the cluster at /data (pid 4242 before, pid 5151 now)");
    assertThat(r.checks()).first().asString().startsWith("after restarting the cluster: 127.0.0.1:5432: TCP open, SELECT 1 answered");
    assertThat(r.report()).contains("restart-database: approved by bob");
    verify(restarts, times(1)).restartUnansweringCluster("link", "pid 4242");
    verify(steps, never()).startStoppedDatabase(any());
    verify(restarts, never()).rolloutRestartStatefulSet(any(), any(), any());
  }

  @Test
  void aRejectedHostRestartEndsTheRunWithTheReason(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, HOST_UNANSWERING);
    RespondToBackupFailureWorkflow wf = run(client, worker, false);
    GateView gate = pending(env, wf, RespondToBackupFailureWorkflow.RESTART_GATE);
    wf.reject(new ApprovalDecision(gate.gateId(), "carol", gate.digest(), "peak hours", null));

    BackupFailureResult r = result(wf);
    assertThat(r.status()).isEqualTo(BackupFailureStatus.REJECTED);
    assertThat(r.reason()).contains("rejected by carol: peak hours");
    verify(restarts, never()).restartUnansweringCluster(any(), any());
  }

  @Test
  void aDryRunPlansTheHostRestart(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, HOST_UNANSWERING);
    BackupFailureResult r = result(run(client, worker, true));

    assertThat(r.status()).isEqualTo(BackupFailureStatus.PLANNED);
    assertThat(r.plan()).contains("gate restart-database: wait for approval; pg_ctl restart -m fast; re-check connectivity");
    verify(restarts, never()).restartUnansweringCluster(any(), any());
  }
}
