package io.pgrunbooks.workflows.approval;

import java.util.List;

/**
 * Base of every workflow with destructive steps: holds the run's {@link ApprovalGate} as a field
 * (so that signals arriving early find it) and hands the approval signals and query to it.
 */
public abstract class GatedRun implements ApprovalSignals {
  protected final ApprovalGate gate = new ApprovalGate();

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
