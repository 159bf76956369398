package io.pgrunbooks.workflows.approval;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import java.util.List;

/** The signals and query of every workflow with destructive steps; its interface extends this. */
public interface ApprovalSignals {

  @SignalMethod
  void approve(ApprovalDecision decision);

  @SignalMethod
  void reject(ApprovalDecision decision);

  /** Every gate the run opened, with its decisions. */
  @QueryMethod
  List<GateView> approvals();
}
