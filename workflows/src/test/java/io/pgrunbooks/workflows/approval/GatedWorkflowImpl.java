package io.pgrunbooks.workflows.approval;


public class GatedWorkflowImpl extends GatedRun implements GatedWorkflow {
  @Override
  public GateOutcome run(String requestedBy, GateRequest request) {
    gate.requestedBy(requestedBy);
    return gate.await(request);
  }
}
