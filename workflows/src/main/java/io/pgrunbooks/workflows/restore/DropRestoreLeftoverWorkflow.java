package io.pgrunbooks.workflows.restore;

import io.pgrunbooks.workflows.approval.ApprovalSignals;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The separate, approved step that ends a restore: dropping the old database the swap kept (or a
 * restored copy that was never swapped in), once people are sure they will not need it.
 */
@WorkflowInterface
public interface DropRestoreLeftoverWorkflow extends ApprovalSignals {
  String TYPE = "DropRestoreLeftover";
  String GATE = "drop-database";

  @WorkflowMethod(name = TYPE)
  DropLeftoverResult drop(DropLeftoverRequest request);
}
