package io.pgrunbooks.workflows.prevention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EnablePgStatStatementsWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(EnablePgStatStatementsWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  static final List<String> DBS = List.of("link_users", "link_chat");
  static final StatementStatistics MISSING = new StatementStatistics(
      Hosting.HOST, "15.10", true, "", "default", false, List.of(), DBS, List.of());
  static final StatementStatistics PRELOADED = new StatementStatistics(
      Hosting.HOST, "15.10", true, "pg_stat_statements", "configuration file", true, List.of(), DBS, List.of());
  static final StatementStatistics COMPLETE = new StatementStatistics(
      Hosting.HOST, "15.10", true, "pg_stat_statements", "configuration file", true, DBS, List.of(), DBS);

  private final PreventionActivities steps = mock(PreventionActivities.class, withSettings().withoutAnnotations());
  private final EscalationActivities escalation = mock(EscalationActivities.class, withSettings().withoutAnnotations());

  private EnablePgStatStatementsWorkflow start(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker, boolean dryRun, StatementStatistics... states) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    when(steps.inspectStatementStatistics("link", List.of())).thenReturn(states[0], java.util.Arrays.copyOfRange(states, 1, states.length));
    when(steps.preloadPgStatStatements("link")).thenReturn("pg_stat_statements");
    when(steps.createPgStatStatements("link", DBS)).thenReturn(DBS);
    worker.registerActivitiesImplementations(TestApprovals.trustingNamespace(), steps, escalation);
    env.start();
    EnablePgStatStatementsWorkflow wf = client.newWorkflowStub(
        EnablePgStatStatementsWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(wf::enable, new PreventionRequest("link", null, dryRun, "alice"));
    return wf;
  }

  private static GateView pending(TestWorkflowEnvironment env, EnablePgStatStatementsWorkflow wf, String gateId) {
    env.sleep(Duration.ofSeconds(30));
    GateView gate = wf.approvals().get(wf.approvals().size() - 1);
    assertThat(gate.gateId()).isEqualTo(gateId);
    assertThat(gate.open()).isTrue();
    return gate;
  }

  private static void approve(EnablePgStatStatementsWorkflow wf, GateView gate) {
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
  }

  @Test
  void preloadsRestartsThenCreatesTheExtensionEachAfterItsApproval(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    EnablePgStatStatementsWorkflow wf = start(env, client, worker, false, MISSING, PRELOADED, COMPLETE);

    GateView preload = pending(env, wf, EnablePgStatStatementsWorkflow.PRELOAD_GATE);
    assertThat(preload.description()).contains("shared_preload_libraries = 'pg_stat_statements' (now '')").contains("restart");
    verify(steps, never()).preloadPgStatStatements(anyString());
    approve(wf, preload);
    GateView create = pending(env, wf, EnablePgStatStatementsWorkflow.EXTENSION_GATE);
    assertThat(create.description()).contains("CREATE EXTENSION IF NOT EXISTS pg_stat_statements in database(s) link_users, link_chat");
    verify(steps, never()).createPgStatStatements(anyString(), any());
    approve(wf, create);

    PreventionResult result = WorkflowStub.fromTyped(wf).getResult(PreventionResult.class);
    assertThat(result.outcome()).isEqualTo("DONE");
    assertThat(result.actions()).containsExactly(
        "shared_preload_libraries set to 'pg_stat_statements' and the server restarted",
        "CREATE EXTENSION pg_stat_statements in link_users, link_chat");
    assertThat(result.checks()).hasSize(2).last().satisfies(c -> assertThat(c).endsWith("statement statistics are collected"));
    assertThat(result.decisions()).extracting(d -> d.decidedBy()).containsExactly("bob", "bob");
  }

  @Test
  void aRejectedRestartChangesNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    EnablePgStatStatementsWorkflow wf = start(env, client, worker, false, MISSING);
    GateView preload = pending(env, wf, EnablePgStatStatementsWorkflow.PRELOAD_GATE);
    wf.reject(new ApprovalDecision(preload.gateId(), "bob", preload.digest(), "not during business hours", null));

    PreventionResult result = WorkflowStub.fromTyped(wf).getResult(PreventionResult.class);
    assertThat(result.outcome()).isEqualTo("REJECTED");
    assertThat(result.reason()).contains("rejected by bob: not during business hours");
    assertThat(result.actions()).isEmpty();
    verify(steps, never()).preloadPgStatStatements(anyString());
    verify(steps, never()).createPgStatStatements(anyString(), any());
  }

  @Test
  void aDryRunPlansBothStepsAndOpensNoGate(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    EnablePgStatStatementsWorkflow wf = start(env, client, worker, true, MISSING);
    PreventionResult result = WorkflowStub.fromTyped(wf).getResult(PreventionResult.class);
    assertThat(result.outcome()).isEqualTo("PLANNED");
    assertThat(result.plan()).hasSize(3);
    assertThat(result.plan().get(1)).startsWith("gate preload-pg-stat-statements");
    assertThat(result.plan().get(2)).startsWith("gate create-extension");
    assertThat(wf.approvals()).isEmpty();
    verify(steps, never()).preloadPgStatStatements(anyString());
  }

  @Test
  void onKubernetesThePreloadIsAFindingAndOnlyTheExtensionIsProposed(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    StatementStatistics onKubernetes = new StatementStatistics(
        Hosting.KUBERNETES, "15.10", true, "", "configuration file", false, List.of(), DBS, List.of());
    EnablePgStatStatementsWorkflow wf = start(env, client, worker, false, onKubernetes, onKubernetes);
    approve(wf, pending(env, wf, EnablePgStatStatementsWorkflow.EXTENSION_GATE));

    PreventionResult result = WorkflowStub.fromTyped(wf).getResult(PreventionResult.class);
    assertThat(result.findings()).singleElement().satisfies(f -> assertThat(f).contains("NOT changed automatically on KUBERNETES"));
    assertThat(result.decisions()).extracting(d -> d.gateId()).containsExactly(EnablePgStatStatementsWorkflow.EXTENSION_GATE);
    verify(steps, never()).preloadPgStatStatements(anyString());
  }

  @Test
  void nothingIsAskedWhenStatisticsAreAlreadyCollected(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    EnablePgStatStatementsWorkflow wf = start(env, client, worker, false, COMPLETE);
    PreventionResult result = WorkflowStub.fromTyped(wf).getResult(PreventionResult.class);
    assertThat(result.outcome()).isEqualTo("NOTHING_TO_DO");
    assertThat(result.decisions()).isEmpty();
  }
}
