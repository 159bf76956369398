package io.pgrunbooks.workflows.approval;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A workflow with one destructive step, to test the gate as runbooks use it. */
@WorkflowInterface
public interface GatedWorkflow extends ApprovalSignals {
  @WorkflowMethod
  GateOutcome run(String requestedBy, GateRequest request);
}
