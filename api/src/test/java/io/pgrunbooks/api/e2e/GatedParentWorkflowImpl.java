package io.pgrunbooks.api.e2e;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.approval.GateRequest;
import io.pgrunbooks.workflows.approval.GatedWorkflow;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;

/** Runs the gated workflow as its child, with id {@code <parent id>/child}. */
public class GatedParentWorkflowImpl implements GatedParentWorkflow {
  @Override
  public GateOutcome run(String requestedBy, GateRequest request) {
    GatedWorkflow child =
        Workflow.newChildWorkflowStub(
            GatedWorkflow.class,
            ChildWorkflowOptions.newBuilder().setWorkflowId(Workflow.getInfo().getWorkflowId() + "/child").build());
    return child.run(requestedBy, request);
  }
}
