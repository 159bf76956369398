package io.pgrunbooks.workflows.slowqueries;

import io.pgrunbooks.workflows.approval.ApprovalSignals;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Seed 000, "Scenario 4: Database Performance Issues": find the queries running too long and the
 * sessions blocking others, the tables scanned sequentially and the ones needing VACUUM; then (each
 * after its own approval) cancel or terminate the culprits and VACUUM (ANALYZE) the tables, checking
 * after each change that it helped. All SQL through JDBC to the primary: hosting makes no difference.
 */
@WorkflowInterface
public interface ResolveSlowQueriesWorkflow extends ApprovalSignals {
  String TYPE = "ResolveSlowQueries";
  String CANCEL_GATE = "cancel-queries";
  String VACUUM_GATE = "vacuum-analyze";

  @WorkflowMethod(name = TYPE)
  SlowQueryResult resolve(SlowQueryRequest request);
}
