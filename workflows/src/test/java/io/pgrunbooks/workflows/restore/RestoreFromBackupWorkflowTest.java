package io.pgrunbooks.workflows.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.pgrunbooks.workflows.applications.ApplicationActivities;
import io.pgrunbooks.workflows.applications.DeploymentReplicas;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.approval.TestApprovals;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.assessment.HealthyAssessment;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

/** The restore's order, gates and compensation, with the steps mocked and time skipped. */
class RestoreFromBackupWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(RestoreFromBackupWorkflowImpl.class, HealthyAssessment.class)
          .setDoNotStart(true)
          .build();

  static final FoundBackup BACKUP = new FoundBackup(
      "s3", "postgres-backups/manual/manual-backup-x-link_users.sql.enc", "link_users", 1000, "2026-11-22T10:00:00Z",
      "OPENSSL", "POSTGRES_CUSTOM_DUMP", "openssl AES-256-CBC, pg_dump custom format", "env:KEY", null, null, 0,
      Map.of("public.users", 10L), Map.of());
  static final RestoreMethod STREAMED = new RestoreMethod(RestoreMode.STREAMED, 1, "streamed");
  static final List<DeploymentReplicas> APPS =
      List.of(new DeploymentReplicas("link-services", "api-gateway", 3), new DeploymentReplicas("link-services", "user-svc", 2));
  static final RestoredDataCheck GOOD = new RestoredDataCheck(Map.of("public.users", 10L), Map.of(), List.of(), true);

  private final RestoreActivities restore = mock(RestoreActivities.class, withSettings().withoutAnnotations());
  private final ApplicationActivities applications = mock(ApplicationActivities.class, withSettings().withoutAnnotations());
  private final EscalationActivities escalation = mock(EscalationActivities.class, withSettings().withoutAnnotations());

  @BeforeEach
  void worker(TestWorkflowEnvironment env, Worker worker) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    when(restore.findBackup("link", "link_users", null, null)).thenReturn(BACKUP);
    when(restore.chooseMethod("link", BACKUP, RestoreMode.AUTO)).thenReturn(STREAMED);
    when(restore.restoreInto(eq("link"), eq(BACKUP), eq(STREAMED), anyString()))
        .thenAnswer(a -> new RestoredDatabase(a.getArgument(3), STREAMED, 1000, 5));
    when(restore.verifyRestored(eq("link"), anyString(), eq(BACKUP))).thenReturn(GOOD);
    when(restore.swapDatabases(eq("link"), eq("link_users"), anyString(), anyString())).thenReturn("renamed");
    when(applications.recordReplicas("link")).thenReturn(APPS);
    worker.registerActivitiesImplementations(TestApprovals.trustingNamespace(), restore, applications, escalation);
    env.start();
  }

  private static RestoreFromBackupWorkflow start(WorkflowClient client, Worker worker, boolean dryRun, boolean abortOnTimeout) {
    RestoreFromBackupWorkflow wf = client.newWorkflowStub(
        RestoreFromBackupWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(wf::restore, new RestoreRequest("link", "link_users", null, null, null, dryRun, "alice", 600, abortOnTimeout));
    return wf;
  }

  private static GateView gate(TestWorkflowEnvironment env, RestoreFromBackupWorkflow wf, String id) {
    env.sleep(Duration.ofSeconds(30));
    return wf.approvals().stream().filter(g -> g.gateId().equals(id) && g.open()).findFirst()
        .orElseThrow(() -> new AssertionError("no open gate " + id + " in " + wf.approvals()));
  }

  private static void approve(TestWorkflowEnvironment env, RestoreFromBackupWorkflow wf, String id) {
    wf.approve(new ApprovalDecision(id, "bob", gate(env, wf, id).digest(), "ok", null));
  }

  private static RestoreResult result(RestoreFromBackupWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(RestoreResult.class);
  }

  @Test
  void approvedTwiceItRecordsScalesDownRestoresVerifiesSwapsAndScalesBackOnce(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    RestoreFromBackupWorkflow wf = start(client, worker, false, false);
    GateView first = gate(env, wf, "scale-down-and-restore");
    assertThat(first.description()).contains("scale api-gateway 3 -> 0, user-svc 2 -> 0 in link-services");
    verify(applications, never()).scaleDown(any(), any());
    approve(env, wf, "scale-down-and-restore");
    approve(env, wf, "swap-databases");
    RestoreResult result = result(wf);

    assertThat(result.status()).isEqualTo(RestoreStatus.RESTORED);
    assertThat(result.postRecoverySeverity()).isEqualTo("NONE");
    assertThat(result.decisions()).extracting(d -> d.decidedBy()).containsExactly("bob", "bob");
    InOrder order = inOrder(applications, restore);
    order.verify(applications).recordReplicas("link");
    order.verify(applications).scaleDown("link", APPS);
    order.verify(restore).restoreInto(eq("link"), eq(BACKUP), eq(STREAMED), eq(result.restoredDatabase()));
    order.verify(restore).verifyRestored("link", result.restoredDatabase(), BACKUP);
    order.verify(restore).swapDatabases("link", "link_users", result.restoredDatabase(), result.preRestoreDatabase());
    order.verify(applications).scaleBack("link", APPS);
    verify(applications, times(1)).scaleDown(any(), any());
    verify(restore, times(1)).swapDatabases(any(), any(), any(), any());
    verify(restore, never()).dropRestoredDatabase(any(), any());
    assertThat(result.restoredDatabase()).matches("link_users_restore_\\d{8}_\\d{6}");
    assertThat(result.preRestoreDatabase()).matches("link_users_pre_restore_\\d{8}_\\d{6}");
  }

  @Test
  void aDryRunOpensNoGateAndChangesNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    RestoreResult result = result(start(client, worker, true, false));

    assertThat(result.status()).isEqualTo(RestoreStatus.PLANNED);
    assertThat(result.plan()).hasSize(9).first().asString().startsWith("find backup: " + BACKUP.objectKey());
    assertThat(result.decisions()).isEmpty();
    verify(applications, never()).scaleDown(any(), any());
    verify(restore, never()).restoreInto(any(), any(), any(), any());
    verify(restore, never()).swapDatabases(any(), any(), any(), any());
  }

  @Test
  void theRequesterCannotApproveAndATimedOutGateAbortsAfterEscalating(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    RestoreFromBackupWorkflow wf = start(client, worker, false, true);
    GateView gate = gate(env, wf, "scale-down-and-restore");
    wf.approve(new ApprovalDecision(gate.gateId(), "alice", gate.digest(), "mine", null));
    RestoreResult result = result(wf); // time skips past the 600 s timeout

    assertThat(result.status()).isEqualTo(RestoreStatus.REJECTED);
    assertThat(result.reason()).contains("timed out").contains("link_users was not changed");
    assertThat(wf.approvals().get(0).decisions()).anySatisfy(d -> assertThat(d).contains("refused approve by alice"));
    verify(escalation).escalate(any());
    verify(applications, never()).scaleDown(any(), any());
  }

  @Test
  void aRejectedSwapScalesBackAndKeepsTheCopyForInspection(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    RestoreFromBackupWorkflow wf = start(client, worker, false, false);
    approve(env, wf, "scale-down-and-restore");
    GateView swap = gate(env, wf, "swap-databases");
    wf.reject(new ApprovalDecision(swap.gateId(), "bob", swap.digest(), "counts look off", null));
    RestoreResult result = result(wf);

    assertThat(result.status()).isEqualTo(RestoreStatus.REJECTED);
    assertThat(result.reason()).contains("counts look off").contains("is kept for inspection");
    verify(applications).scaleBack("link", APPS);
    verify(restore, never()).swapDatabases(any(), any(), any(), any());
    verify(restore, never()).dropRestoredDatabase(any(), any());
  }

  @Test
  void aFailedRestoreDropsTheHalfRestoredCopyAndScalesBack(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    when(restore.restoreInto(any(), any(), any(), anyString()))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("pg_restore stopped at the first error: boom", "RestoreSqlError"));
    RestoreFromBackupWorkflow wf = start(client, worker, false, false);
    approve(env, wf, "scale-down-and-restore");

    assertThatThrownBy(() -> result(wf)).isInstanceOf(WorkflowFailedException.class).satisfies(e -> {
      ApplicationFailure failure = (ApplicationFailure) e.getCause();
      assertThat(failure.getType()).isEqualTo("RestoreFailed");
      assertThat(failure.getOriginalMessage()).contains("stopped at step 'restore'").contains("boom")
          .contains("link_users is untouched").contains("was dropped").contains("api-gateway 0 -> 3");
      RestoreResult partial = failure.getDetails().get(RestoreResult.class);
      assertThat(partial.status()).isEqualTo(RestoreStatus.FAILED);
      assertThat(partial.stoppedAt()).isEqualTo("restore");
    });
    verify(applications).scaleBack("link", APPS);
    verify(restore).dropRestoredDatabase(eq("link"), anyString());
    verify(restore, never()).swapDatabases(any(), any(), any(), any());
  }
}
