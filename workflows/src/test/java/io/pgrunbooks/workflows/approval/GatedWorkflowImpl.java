package io.pgrunbooks.workflows.approval;

import io.pgrunbooks.workflows.common.RunProgress;

/** One phase, then the gate, as a runbook's step that asks before it changes something; when approved, its "step" is a phase entered (what the audit shows as done). */
public class GatedWorkflowImpl extends GatedRun implements GatedWorkflow {
  @Override
  public GateOutcome run(String requestedBy, GateRequest request) {
    gate.requestedBy(requestedBy);
    RunProgress.enter("prepare", "Preparing: " + request.action());
    GateOutcome outcome = gate.await(request);
    if (outcome.approved()) {
      RunProgress.enter("done", "did: " + request.action());
    } else {
      RunProgress.enter("rejected", outcome.refusal());
    }
    return outcome;
  }
}
