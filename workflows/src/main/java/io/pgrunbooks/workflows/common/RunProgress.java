package io.pgrunbooks.workflows.common;

import io.pgrunbooks.workflows.approval.ApprovalGate;
import io.temporal.workflow.Workflow;

/**
 * Tells people what a run is doing: the phase search attribute (for filtering) and the current
 * details the Web UI shows on the run's page, and (after an approval) the approved gate's audit
 * record of what its step did. Call from workflow code only.
 */
public final class RunProgress {
  private RunProgress() {}

  /** Enters a phase: {@code phase} is a short keyword, {@code details} a sentence for a person. */
  public static void enter(String phase, String details) {
    Workflow.upsertTypedSearchAttributes(RunbookSearchAttributes.PHASE.valueSet(phase));
    Workflow.setCurrentDetails(details);
    ApprovalGate.stepProgress(details); // after an approval: what its step did, for the audit
  }
}
