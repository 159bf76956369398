package io.pgrunbooks.workflows.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.ApprovalGate;
import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.approval.TestApprovals;
import io.pgrunbooks.workflows.assessment.AssessDatabaseHealthWorkflow;
import io.pgrunbooks.workflows.assessment.AssessmentRequest;
import io.pgrunbooks.workflows.assessment.CheckReport;
import io.pgrunbooks.workflows.assessment.HealthyAssessment;
import io.pgrunbooks.workflows.assessment.Scenario;
import io.pgrunbooks.workflows.assessment.Severity;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

class RecoverToPointInTimeWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(RecoverToPointInTimeWorkflowImpl.class, HealthyAssessment.class)
          .setDoNotStart(true)
          .build();

  static final RecoveryPlan PLAN =
      new RecoveryPlan(
          "link", "20261122_120000", "main", "2026-11-22T11:00:00Z",
          new RecoveryWindow("2026-11-21T00:00:01Z", "2026-11-22T11:59:59Z", "20261121-000000F", "0/9000100", "000000010000000000000009", "sealed"),
          "20261121-000000F", 1_000_000, 50_000_000, "/var/lib/postgresql/15/main",
          "/var/lib/postgresql/15/main.pre_pitr_20261122_120000", "/var/lib/postgresql/15/main.pitr_20261122_120000",
          new WorkAtRisk("2026-11-22T11:00:00Z", "2026-11-22T12:00:00Z", 3600, "0/2000100", "0/9000100", "0/9000200"),
          List.of("stop", "move aside", "restore", "start", "prove", "check", "assess"));

  static final RecoveryPoint POINT =
      new RecoveryPoint("2026-11-22T11:00:00Z", "2026-11-22T11:00:00.5Z", "2026-11-22T10:59:59Z", "0/5000028", 2, List.of());

  private final PitrActivities pitr = mock(PitrActivities.class, withSettings().withoutAnnotations());
  private final EscalationActivities escalation = mock(EscalationActivities.class, withSettings().withoutAnnotations());
  private final io.pgrunbooks.workflows.applications.ApplicationActivities applications =
      mock(io.pgrunbooks.workflows.applications.ApplicationActivities.class, withSettings().withoutAnnotations());

  @BeforeEach
  void worker(TestWorkflowEnvironment env, Worker worker) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    when(pitr.planRecovery(any(), anyString())).thenReturn(PLAN);
    when(pitr.stopDatabase(PLAN)).thenReturn("0/9000300");
    when(pitr.moveDataDirectoryAside(PLAN)).thenReturn(PLAN.asideDirectory());
    when(pitr.followRecovery(PLAN)).thenReturn(POINT);
    when(pitr.runCheckQuery(PLAN, "orders", "select count(*) from orders")).thenReturn("42");
    when(applications.recordReplicas("link"))
        .thenReturn(List.of(new io.pgrunbooks.workflows.applications.DeploymentReplicas("link-services", "api-gateway", 3)));
    worker.registerActivitiesImplementations(TestApprovals.trustingNamespace(), pitr, escalation, applications);
    env.start();
  }

  private static RecoverToPointInTimeWorkflow start(WorkflowClient client, Worker worker, boolean dryRun) {
    RecoverToPointInTimeWorkflow wf =
        client.newWorkflowStub(
            RecoverToPointInTimeWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId("recover-to-point-in-time/link").setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(wf::recover, new PitrRequest("link", "2026-11-22T11:00:00Z", "orders", "select count(*) from orders", dryRun, "alice"));
    return wf;
  }

  private static PitrResult result(RecoverToPointInTimeWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(PitrResult.class);
  }

  private static GateView openGate(TestWorkflowEnvironment env, RecoverToPointInTimeWorkflow wf) {
    env.sleep(Duration.ofMinutes(1));
    List<GateView> gates = wf.approvals();
    assertThat(gates).singleElement().satisfies(g -> assertThat(g.open()).isTrue());
    return gates.get(0);
  }

  @Test
  void anApprovedRecoveryStopsMovesAsideRestoresRecoversChecksAndAssesses(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    RecoverToPointInTimeWorkflow wf = start(client, worker, false);
    GateView gate = openGate(env, wf);
    assertThat(gate.description())
        .contains("Lost: every commit after 2026-11-22T11:00:00Z (3600 s")
        .contains("between 0/2000100 and 0/9000100")
        .contains("current LSN 0/9000200")
        .contains(PLAN.asideDirectory());
    verify(pitr, never()).stopDatabase(any());
    wf.approve(new ApprovalDecision(RecoverToPointInTimeWorkflow.GATE, "bob", ApprovalGate.digest(gate.description()), "incident 42", null));

    PitrResult result = result(wf);
    assertThat(result.outcome()).isEqualTo(PitrOutcome.RECOVERED);
    assertThat(result.preservedDataDirectory()).isEqualTo(PLAN.asideDirectory());
    assertThat(result.stoppedAtLsn()).isEqualTo("0/9000300");
    assertThat(result.recoveryPoint()).isEqualTo(POINT);
    assertThat(result.checkValue()).isEqualTo("42");
    assertThat(result.assessment().severity()).isEqualTo(Severity.NONE);
    InOrder order = inOrder(pitr, applications);
    order.verify(pitr).planRecovery(any(), anyString());
    order.verify(applications).scaleDown(eq("link"), any());
    order.verify(pitr).stopDatabase(PLAN);
    order.verify(pitr).moveDataDirectoryAside(PLAN);
    order.verify(pitr).restoreBackup(PLAN);
    order.verify(pitr).startDatabase(PLAN);
    order.verify(pitr).followRecovery(PLAN);
    order.verify(pitr).runCheckQuery(PLAN, "orders", "select count(*) from orders");
    order.verify(applications).scaleBack(eq("link"), any());
  }

  @Test
  void aRejectedGateChangesNothingAndTheRunEndsWithTheReason(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    RecoverToPointInTimeWorkflow wf = start(client, worker, false);
    openGate(env, wf);
    assertThat(wf.approvals().get(0).description()).contains("scale api-gateway 3 -> 0 in link-services");
    wf.reject(new ApprovalDecision(RecoverToPointInTimeWorkflow.GATE, "bob", null, "restore the one table instead", null));

    PitrResult result = result(wf);
    assertThat(result.outcome()).isEqualTo(PitrOutcome.REJECTED);
    assertThat(result.message()).contains("bob").contains("restore the one table instead").contains("nothing was changed");
    verify(pitr).planRecovery(any(), anyString());
    verifyNoMoreInteractions(pitr);
    verify(applications, never()).scaleDown(any(), any());
  }

  @Test
  void aDryRunOpensNoGateChangesNothingAndReturnsThePlan(WorkflowClient client, Worker worker) {
    RecoverToPointInTimeWorkflow wf = start(client, worker, true);
    PitrResult result = result(wf);
    assertThat(result.outcome()).isEqualTo(PitrOutcome.DRY_RUN);
    assertThat(result.plan().steps()).hasSize(7);
    assertThat(result.gate()).isNull();
    assertThat(wf.approvals()).isEmpty();
    verify(pitr).planRecovery(any(), anyString());
    verifyNoMoreInteractions(pitr);
  }

  @Test
  void aTargetOutsideTheWindowFailsTheRunBeforeAnyGate(WorkflowClient client, Worker worker) {
    when(pitr.planRecovery(any(), anyString()))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("target is not covered by archived WAL; recoverable window ...", "TargetOutsideWindow"));
    RecoverToPointInTimeWorkflow wf = start(client, worker, false);
    assertThatThrownBy(() -> result(wf)).isInstanceOf(WorkflowFailedException.class).rootCause().hasMessageContaining("recoverable window");
    assertThat(wf.approvals()).isEmpty();
    verify(pitr).planRecovery(any(), anyString());
    verifyNoMoreInteractions(pitr);
  }

  @Test
  void aRecoveryThatMissesTheTargetFailsAndSaysWhereTheOldDataDirectoryIs(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    when(pitr.followRecovery(PLAN))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("the server stopped during recovery", "RecoveryMissedTarget"));
    RecoverToPointInTimeWorkflow wf = start(client, worker, false);
    GateView gate = openGate(env, wf);
    wf.approve(new ApprovalDecision(RecoverToPointInTimeWorkflow.GATE, "bob", ApprovalGate.digest(gate.description()), null, null));
    assertThatThrownBy(() -> result(wf))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .hasMessageContaining("the server stopped during recovery")
        .hasMessageContaining("kept at " + PLAN.asideDirectory());
    verify(pitr, never()).runCheckQuery(any(), any(), any());
  }
}
