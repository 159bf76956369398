package io.pgrunbooks.workflows.approval;

import java.util.List;

public class GatedWorkflowImpl implements GatedWorkflow {
  private final ApprovalGate gate = new ApprovalGate();

  @Override
  public GateOutcome run(String requestedBy, GateRequest request) {
    gate.requestedBy(requestedBy);
    return gate.await(request);
  }

  @Override
  public void approve(ApprovalDecision decision) {
    gate.approve(decision);
  }

  @Override
  public void reject(ApprovalDecision decision) {
    gate.reject(decision);
  }

  @Override
  public List<GateView> approvals() {
    return gate.views();
  }
}
