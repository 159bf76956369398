package io.pgrunbooks.api.e2e;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.approval.GateRequest;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A run whose gate is in a child run (as a failure response's repair scenario): for the audit of children. */
@WorkflowInterface
public interface GatedParentWorkflow {
  @WorkflowMethod
  GateOutcome run(String requestedBy, GateRequest request);
}
