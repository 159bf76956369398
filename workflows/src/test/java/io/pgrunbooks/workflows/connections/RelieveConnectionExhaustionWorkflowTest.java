package io.pgrunbooks.workflows.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.approval.TestApprovals;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

class RelieveConnectionExhaustionWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(RelieveConnectionExhaustionWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  static final IdleBackend OLD_IDLE =
      new IdleBackend(4711, "2026-11-22T20:00:00Z", "app", "api-gateway", "10.0.0.5", "2026-11-22T20:01:00Z");
  static final ConnectionCheck FULL = new ConnectionCheck(19, 20, 95.0, 80, false);
  static final ConnectionCheck RELIEVED = new ConnectionCheck(5, 20, 25.0, 80, true);

  private final ConnectionActivities steps = mock(ConnectionActivities.class, withSettings().withoutAnnotations());
  private final EscalationActivities escalation = mock(EscalationActivities.class, withSettings().withoutAnnotations());

  private void start(TestWorkflowEnvironment env, Worker worker, Hosting hosting, List<String> deployments) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    when(steps.diagnose("link", 30)).thenReturn(new ConnectionDiagnosis(
        hosting, FULL, Map.of("idle", 15, "active", 4), List.of(new ConnectionSource("10.0.0.5", "app", "api-gateway", "idle", 15)),
        List.of(OLD_IDLE), deployments, "configuration file"));
    when(steps.terminateIdle(any(), any(), anyInt())).thenReturn(new Termination(List.of(4711), List.of()));
    when(steps.restartApplications(any(), anyString())).thenReturn(List.of("link-services/api-gateway"));
    when(steps.setMaxConnections("link", 200)).thenReturn(200);
    when(steps.recheck("link")).thenReturn(RELIEVED);
    worker.registerActivitiesImplementations(TestApprovals.trustingNamespace(), steps, escalation);
    env.start();
  }

  private static RelieveConnectionExhaustionWorkflow run(WorkflowClient client, Worker worker, Integer max, boolean dryRun) {
    RelieveConnectionExhaustionWorkflow wf = client.newWorkflowStub(
        RelieveConnectionExhaustionWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(wf::relieve, new ConnectionRequest("link", null, max, dryRun, "alice"));
    return wf;
  }

  private static GateView pending(TestWorkflowEnvironment env, RelieveConnectionExhaustionWorkflow wf, String gateId) {
    env.sleep(Duration.ofSeconds(30));
    GateView gate = wf.approvals().get(wf.approvals().size() - 1);
    assertThat(gate.gateId()).isEqualTo(gateId);
    return gate;
  }

  private static void approve(RelieveConnectionExhaustionWorkflow wf, GateView gate) {
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
  }

  private static RelieveResult result(RelieveConnectionExhaustionWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(RelieveResult.class);
  }

  @Test
  void eachChangeIsApprovedThenDoneThenRechecked(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, Hosting.HOST, List.of());
    RelieveConnectionExhaustionWorkflow wf = run(client, worker, 200, false);

    GateView terminate = pending(env, wf, RelieveConnectionExhaustionWorkflow.TERMINATE_GATE);
    assertThat(terminate.description()).contains("pid 4711 (api-gateway@10.0.0.5 as app, idle since 2026-11-22T20:01:00Z)");
    verify(steps, never()).terminateIdle(any(), any(), anyInt());
    approve(wf, terminate);

    GateView raise = pending(env, wf, RelieveConnectionExhaustionWorkflow.MAX_CONNECTIONS_GATE);
    assertThat(raise.description()).contains("max_connections = 200 (now 20)");
    verify(steps, never()).setMaxConnections(any(), anyInt());
    approve(wf, raise);

    RelieveResult result = result(wf);
    assertThat(result.status()).isEqualTo(RelieveStatus.DONE);
    assertThat(result.termination().terminated()).containsExactly(4711);
    assertThat(result.maxConnections()).isEqualTo(200);
    assertThat(result.checks()).hasSize(2).allSatisfy(c -> assertThat(c).contains("under the 80.0 % threshold"));
    assertThat(result.findings()).anySatisfy(f -> assertThat(f).contains("does not apply on HOST hosting"));
    assertThat(result.decisions()).extracting(d -> d.approved()).containsExactly(true, true);
    InOrder order = inOrder(steps);
    order.verify(steps).diagnose("link", 30);
    order.verify(steps).terminateIdle("link", List.of(OLD_IDLE), 30);
    order.verify(steps).recheck("link");
    order.verify(steps).setMaxConnections("link", 200);
    order.verify(steps).recheck("link");
    verify(steps, never()).restartApplications(any(), any());
  }

  @Test
  void onKubernetesTheApplicationsAreRestartedAndMaxConnectionsIsOnlyAFinding(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, Hosting.KUBERNETES, List.of("api-gateway"));
    RelieveConnectionExhaustionWorkflow wf = run(client, worker, 200, false);
    approve(wf, pending(env, wf, RelieveConnectionExhaustionWorkflow.TERMINATE_GATE));
    GateView restart = pending(env, wf, RelieveConnectionExhaustionWorkflow.RESTART_GATE);
    assertThat(restart.description()).contains("rollout restart of deployment(s) api-gateway");
    approve(wf, restart);

    RelieveResult result = result(wf);
    assertThat(result.status()).isEqualTo(RelieveStatus.DONE);
    assertThat(result.restarted()).containsExactly("link-services/api-gateway");
    assertThat(result.maxConnections()).isNull();
    assertThat(result.findings()).anySatisfy(f -> assertThat(f).contains("NOT applied automatically on KUBERNETES"));
    verify(steps, never()).setMaxConnections(any(), anyInt());
  }

  @Test
  void aRejectedGateChangesNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, Hosting.HOST, List.of());
    RelieveConnectionExhaustionWorkflow wf = run(client, worker, 200, false);
    GateView terminate = pending(env, wf, RelieveConnectionExhaustionWorkflow.TERMINATE_GATE);
    wf.reject(new ApprovalDecision(terminate.gateId(), "bob", terminate.digest(), "those are batch jobs", null));

    RelieveResult result = result(wf);
    assertThat(result.status()).isEqualTo(RelieveStatus.REJECTED);
    assertThat(result.reason()).contains("rejected by bob: those are batch jobs");
    verify(steps, never()).terminateIdle(any(), any(), anyInt());
    verify(steps, never()).setMaxConnections(any(), anyInt());
    verify(steps, never()).recheck(any());
  }

  @Test
  void aDryRunOnlyDiagnosesAndPlans(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, Hosting.HOST, List.of());
    RelieveConnectionExhaustionWorkflow wf = run(client, worker, 200, true);
    RelieveResult result = result(wf);
    assertThat(result.status()).isEqualTo(RelieveStatus.PLANNED);
    assertThat(result.plan()).anySatisfy(p -> assertThat(p).contains("terminate pid 4711"))
        .anySatisfy(p -> assertThat(p).contains("ALTER SYSTEM SET max_connections = 200"));
    assertThat(wf.approvals()).isEmpty();
    verify(steps).diagnose("link", 30);
    verify(steps, never()).terminateIdle(any(), any(), anyInt());
    verify(steps, never()).setMaxConnections(any(), anyInt());
    verify(steps, never()).restartApplications(any(), any());
  }
}
