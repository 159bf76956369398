package io.pgrunbooks.workflows.approval;

import io.pgrunbooks.workflows.common.RunProgress;

/** One phase, then the gate: as a runbook's step that asks before it changes something. */
public class GatedWorkflowImpl extends GatedRun implements GatedWorkflow {
  @Override
  public GateOutcome run(String requestedBy, GateRequest request) {
    gate.requestedBy(requestedBy);
    RunProgress.enter("prepare", "Preparing: " + request.action());
    return gate.await(request);
  }
}
