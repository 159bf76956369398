package io.pgrunbooks.workflows.slowqueries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.approval.GateOutcome;
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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

class ResolveSlowQueriesWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(ResolveSlowQueriesWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  static final Backend SLOW = new Backend(4711, "2026-11-22T20:00:00Z", "2026-11-22T20:01:00Z", "2026-11-22T20:01:00Z", "active",
      "app", "reports", "10.0.0.5", "link_users", null, 720, "select * from messages order by created_at", StopMethod.CANCEL, List.of());
  static final Backend BLOCKER = new Backend(4800, "2026-11-22T19:00:00Z", "2026-11-22T20:02:00Z", "2026-11-22T20:02:00Z",
      "idle in transaction", "app", "api-gateway", "10.0.0.6", "link_users", "Client:ClientRead", 600,
      "update users set name = 'x' where id = 1", StopMethod.TERMINATE, List.of(4801, 4802));
  static final LockWait WAIT = new LockWait(4801, "app", "user-svc", "link_users", "Lock:transactionid", 300,
      "update users set name = 'y' where id = 1", List.of(4800));
  static final TableStats BLOATED = new TableStats("link_users", "public", "messages", 40, 4_000_000, 0, 10_000, 90_000, 100_000,
      null, "2026-11-20T00:00:00Z");
  static final TableStats VACUUMED = new TableStats("link_users", "public", "messages", 40, 4_000_000, 0, 10_000, 0, 0,
      "2026-11-22T20:10:00Z", "2026-11-22T20:10:00Z");

  private final SlowQueryActivities steps = mock(SlowQueryActivities.class, withSettings().withoutAnnotations());
  private final EscalationActivities escalation = mock(EscalationActivities.class, withSettings().withoutAnnotations());

  private void start(TestWorkflowEnvironment env, Worker worker, boolean somethingToDo) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    when(steps.findSlowQueries("link", 300)).thenReturn(somethingToDo ? List.of(SLOW) : List.of());
    when(steps.findLockWaits("link")).thenReturn(somethingToDo
        ? new LockWaits(List.of(WAIT), List.of(BLOCKER), List.of())
        : new LockWaits(List.of(), List.of(), List.of()));
    when(steps.checkTableStatistics("link")).thenReturn(new TableStatistics(
        List.of(BLOATED), somethingToDo ? List.of(BLOATED) : List.of(), List.of(), List.of("pg_stat_statements is not installed")));
    when(steps.cancelQueries(any(), any())).thenReturn(new Stopping(List.of(4800, 4711), List.of(), List.of()));
    when(steps.recheckQueries(any(), any(), anyInt())).thenReturn(new QueryCheck(List.of(), 0, 0));
    when(steps.vacuumAnalyzeTables(any(), any())).thenReturn(new Vacuumed(List.of(BLOATED.name()), List.of()));
    when(steps.recheckTables(any(), any())).thenReturn(List.of(VACUUMED));
    worker.registerActivitiesImplementations(TestApprovals.trustingNamespace(), steps, escalation);
    env.start();
  }

  private static ResolveSlowQueriesWorkflow run(WorkflowClient client, Worker worker, boolean dryRun) {
    ResolveSlowQueriesWorkflow wf = client.newWorkflowStub(
        ResolveSlowQueriesWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(wf::resolve, new SlowQueryRequest("link", null, null, dryRun, "alice"));
    return wf;
  }

  private static GateView pending(TestWorkflowEnvironment env, ResolveSlowQueriesWorkflow wf, String gateId) {
    env.sleep(Duration.ofSeconds(30));
    GateView gate = wf.approvals().get(wf.approvals().size() - 1);
    assertThat(gate.gateId()).isEqualTo(gateId);
    return gate;
  }

  private static void approve(ResolveSlowQueriesWorkflow wf, GateView gate) {
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
  }

  private static SlowQueryResult result(ResolveSlowQueriesWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(SlowQueryResult.class);
  }

  @Test
  void theBlockerIsTerminatedTheSlowQueryCancelledAndTheTablesVacuumedEachAfterApproval(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, true);
    ResolveSlowQueriesWorkflow wf = run(client, worker, false);

    GateView cancel = pending(env, wf, ResolveSlowQueriesWorkflow.CANCEL_GATE);
    assertThat(cancel.description())
        .contains("terminate pid 4800 (api-gateway@10.0.0.6 as app on link_users, idle in transaction, in a transaction since 2026-11-22T20:02:00Z (600 s)")
        .contains("because it blocks pid(s) [4801, 4802]; it is idle in transaction, so only ending the session releases its locks")
        .contains("cancel pid 4711 (reports@10.0.0.5 as app on link_users, active since 2026-11-22T20:01:00Z (720 s)")
        .contains("\"select * from messages order by created_at\"")
        .contains("1 session(s) wait for locks held by the listed blocker(s); 1 quer(ies) have run for more than 300 s");
    assertThat(cancel.description().indexOf("pid 4800")).as("the blocker first").isLessThan(cancel.description().indexOf("pid 4711"));
    verify(steps, never()).cancelQueries(any(), any());
    approve(wf, cancel);

    GateView vacuum = pending(env, wf, ResolveSlowQueriesWorkflow.VACUUM_GATE);
    assertThat(vacuum.description()).contains("VACUUM (ANALYZE) of 1 table(s), one at a time (not the whole database): "
        + "link_users.public.messages (90000 dead, 10000 live tuples");
    verify(steps, never()).vacuumAnalyzeTables(any(), any());
    approve(wf, vacuum);

    SlowQueryResult result = result(wf);
    assertThat(result.status()).isEqualTo(SlowQueryStatus.DONE);
    assertThat(result.outcome()).isEqualTo("DONE");
    assertThat(result.proposed()).extracting(Backend::pid).containsExactly(4800, 4711);
    assertThat(result.checks()).containsExactly(
        "after stopping pid(s) [4800, 4711]: none of the stopped backends is still running; 0 quer(ies) over the threshold and 0 blocked session(s) now: cured",
        "after VACUUM (ANALYZE): link_users.public.messages: dead tuples 90000 -> 0, last vacuum 2026-11-22T20:10:00Z,"
            + " last analyze 2026-11-22T20:10:00Z: helped");
    assertThat(result.actions()).containsExactly(
        "terminated pid 4800 (api-gateway as app, 600 s)", "cancelled pid 4711 (reports as app, 720 s)",
        "VACUUM (ANALYZE) of link_users.public.messages");
    assertThat(result.findings())
        .anySatisfy(f -> assertThat(f).startsWith("lock wait: pid 4801 (user-svc as app on link_users, waiting 300 s on Lock:transactionid"))
        .anySatisfy(f -> assertThat(f).startsWith("sequential scans: link_users.public.messages had 40 sequential scan(s) reading 4000000 rows"))
        .anySatisfy(f -> assertThat(f).contains("pg_stat_statements is not installed"))
        .contains(ResolveSlowQueriesWorkflowImpl.PG_STATS_CORRECTION);
    assertThat(result.decisions()).extracting(GateOutcome::approved).containsExactly(true, true);
    InOrder order = inOrder(steps);
    order.verify(steps).findSlowQueries("link", 300);
    order.verify(steps).findLockWaits("link");
    order.verify(steps).checkTableStatistics("link");
    order.verify(steps).cancelQueries("link", List.of(BLOCKER, SLOW));
    order.verify(steps).recheckQueries("link", List.of(BLOCKER, SLOW), 300);
    order.verify(steps).vacuumAnalyzeTables("link", List.of(BLOATED));
    order.verify(steps).recheckTables("link", List.of(BLOATED));
  }

  @Test
  void aRejectedCancelGateChangesNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, true);
    ResolveSlowQueriesWorkflow wf = run(client, worker, false);
    GateView cancel = pending(env, wf, ResolveSlowQueriesWorkflow.CANCEL_GATE);
    wf.reject(new ApprovalDecision(cancel.gateId(), "bob", cancel.digest(), "that report is the quarter's close", null));

    SlowQueryResult result = result(wf);
    assertThat(result.status()).isEqualTo(SlowQueryStatus.REJECTED);
    assertThat(result.reason()).contains("gate cancel-queries rejected by bob: that report is the quarter's close");
    assertThat(result.actions()).isEmpty();
    assertThat(result.stopping()).isNull();
    verify(steps, never()).cancelQueries(any(), any());
    verify(steps, never()).recheckQueries(any(), any(), anyInt());
    verify(steps, never()).vacuumAnalyzeTables(any(), any());
  }

  @Test
  void aRejectedVacuumGateKeepsTheCancellationsAndVacuumsNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, true);
    ResolveSlowQueriesWorkflow wf = run(client, worker, false);
    approve(wf, pending(env, wf, ResolveSlowQueriesWorkflow.CANCEL_GATE));
    GateView vacuum = pending(env, wf, ResolveSlowQueriesWorkflow.VACUUM_GATE);
    wf.reject(new ApprovalDecision(vacuum.gateId(), "bob", vacuum.digest(), "tonight", null));

    SlowQueryResult result = result(wf);
    assertThat(result.status()).isEqualTo(SlowQueryStatus.REJECTED);
    assertThat(result.vacuumed()).isNull();
    assertThat(result.checks()).hasSize(1);
    verify(steps, never()).vacuumAnalyzeTables(any(), any());
  }

  @Test
  void aDryRunOnlyDiagnosesAndPlans(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, true);
    SlowQueryResult result = result(run(client, worker, true));
    assertThat(result.status()).isEqualTo(SlowQueryStatus.PLANNED);
    assertThat(result.plan())
        .contains("gate cancel-queries: wait for approval", "gate vacuum-analyze: wait for approval")
        .anySatisfy(p -> assertThat(p).startsWith("terminate pid 4800 "))
        .anySatisfy(p -> assertThat(p).startsWith("cancel pid 4711 "))
        .anySatisfy(p -> assertThat(p).startsWith("VACUUM (ANALYZE) link_users.public.messages"));
    verify(steps, never()).cancelQueries(any(), any());
    verify(steps, never()).vacuumAnalyzeTables(any(), any());
  }

  @Test
  void nothingSlowNothingBlockedNothingToVacuumOpensNoGate(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, false);
    ResolveSlowQueriesWorkflow wf = run(client, worker, false);
    SlowQueryResult result = result(wf);
    assertThat(result.status()).isEqualTo(SlowQueryStatus.NOTHING_TO_DO);
    assertThat(wf.approvals()).isEmpty();
    assertThat(result.findings())
        .contains("no query has run for more than 300 s and no session blocks another: nothing to cancel",
            "no table has many dead tuples or stale statistics: nothing to VACUUM");
    verify(steps, never()).cancelQueries(any(), any());
    verify(steps, never()).vacuumAnalyzeTables(any(), any());
  }
}
