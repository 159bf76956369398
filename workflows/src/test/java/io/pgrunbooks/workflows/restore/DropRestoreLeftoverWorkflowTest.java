package io.pgrunbooks.workflows.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.CurrentDetails;
import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.approval.TestApprovals;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DropRestoreLeftoverWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder().registerWorkflowImplementationTypes(DropRestoreLeftoverWorkflowImpl.class).setDoNotStart(true).build();

  static final String OLD = "link_users_pre_restore_20261122_203000";

  private final RestoreActivities steps = mock(RestoreActivities.class, withSettings().withoutAnnotations());
  private final EscalationActivities escalation = mock(EscalationActivities.class, withSettings().withoutAnnotations());

  @BeforeEach
  void worker(TestWorkflowEnvironment env, Worker worker) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    when(steps.describeLeftover("link", OLD)).thenReturn(new LeftoverDatabase(OLD, 50L << 20, 1));
    worker.registerActivitiesImplementations(TestApprovals.trustingNamespace(), steps, escalation);
    env.start();
  }

  private static DropRestoreLeftoverWorkflow start(WorkflowClient client, Worker worker, boolean dryRun) {
    DropRestoreLeftoverWorkflow wf = client.newWorkflowStub(
        DropRestoreLeftoverWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(wf::drop, new DropLeftoverRequest("link", OLD, dryRun, "alice"));
    return wf;
  }

  private static GateView gate(TestWorkflowEnvironment env, DropRestoreLeftoverWorkflow wf) {
    env.sleep(Duration.ofMinutes(1));
    return wf.approvals().get(0);
  }

  @Test
  void anotherPersonsApprovalDropsItOnce(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    DropRestoreLeftoverWorkflow wf = start(client, worker, false);
    GateView gate = gate(env, wf);
    assertThat(gate.description()).contains("drop database " + OLD + " (50 MiB, 1 session(s) now");
    wf.approve(new ApprovalDecision(gate.gateId(), "alice", gate.digest(), "mine", null)); // refused: the requester
    verify(steps, never()).dropLeftover(any(), any());
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
    assertThat(WorkflowStub.fromTyped(wf).getResult(DropLeftoverResult.class).status()).isEqualTo("DROPPED");
    verify(steps).dropLeftover("link", OLD);
  }

  /**
   * What the Web UI shows while the gate is open: AwaitingApproval, and current details with the
   * action and the commands that decide it; once decided, the phase and details the run had before.
   */
  @Test
  void anOpenGateIsFoundAndSaysHowToDecideAndClosingItRestoresThePhase(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    DropRestoreLeftoverWorkflow wf = start(client, worker, false);
    GateView gate = gate(env, wf);
    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    String id = stub.getExecution().getWorkflowId();
    assertThat(attributes(stub).get(RunbookSearchAttributes.AWAITING_APPROVAL)).isTrue();
    assertThat(attributes(stub).get(RunbookSearchAttributes.PHASE)).isEqualTo("awaiting-approval");
    assertThat(CurrentDetails.of(stub))
        .contains("Waiting for approval", "`drop-database`", "drop database " + OLD, gate.digest())
        .contains("curl -X POST -H \"Authorization: Bearer $PGRUNBOOKS_TOKEN\" -H 'Content-Type: application/json' -d "
            + "'{\"gateId\":\"drop-database\",\"decision\":\"approve\",\"digest\":\"" + gate.digest()
            + "\",\"comment\":\"<why it is safe now>\"}' \"$PGRUNBOOKS_API\"'/api/approvals/" + id + "'")
        .contains("\"decision\":\"reject\"")
        .contains("temporal workflow signal --namespace 'UnitTest' --workflow-id '" + id + "' --name reject --input "
            + "'{\"gateId\":\"drop-database\",\"person\":\"<your name>\",\"digest\":\"" + gate.digest()
            + "\",\"comment\":\"<why not>\",\"expiresAt\":null}'")
        .as("an unsigned approval is refused, so the CLI approve is not offered").doesNotContain("--name approve");

    wf.reject(new ApprovalDecision(gate.gateId(), "bob", null, "still needed", null));
    assertThat(stub.getResult(DropLeftoverResult.class).status()).isEqualTo("REJECTED");
    assertThat(attributes(stub).get(RunbookSearchAttributes.AWAITING_APPROVAL)).isFalse();
    assertThat(attributes(stub).get(RunbookSearchAttributes.PHASE)).isEqualTo("rejected");
  }

  private static io.temporal.common.SearchAttributes attributes(WorkflowStub stub) {
    return stub.describe().getTypedSearchAttributes();
  }


  @Test
  void nobodyDecidingWithinADayKeepsTheDatabase(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    DropLeftoverResult result = WorkflowStub.fromTyped(start(client, worker, false)).getResult(DropLeftoverResult.class);
    assertThat(result.status()).isEqualTo("REJECTED");
    assertThat(result.decision().decidedBy()).isEqualTo("timeout");
    verify(escalation).escalate(any());
    verify(steps, never()).dropLeftover(any(), any());
  }

  @Test
  void aDryRunOnlyDescribes(WorkflowClient client, Worker worker) {
    DropRestoreLeftoverWorkflow wf = start(client, worker, true);
    assertThat(WorkflowStub.fromTyped(wf).getResult(DropLeftoverResult.class).status()).isEqualTo("PLANNED");
    assertThat(wf.approvals()).isEmpty();
    verify(steps, never()).dropLeftover(any(), any());
  }
}
