package io.pgrunbooks.workflows.common;

import io.temporal.common.SearchAttributes;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;

/**
 * Options of a runbook's child run: its own id, the search attributes every run carries (so the
 * API and the Web UI find it by runbook and target) and a summary naming the parent. Workflow code only.
 */
public final class ChildRuns {
  private ChildRuns() {}

  public static ChildWorkflowOptions options(String childId, String workflowType, String target, String requestedBy) {
    return options(childId, workflowType, null, target, requestedBy);
  }

  /**
   * The same, with what the child works on beside its target in the summary ({@code "database
   * link_users"}, {@code "after point-in-time recovery"}); null for nothing more.
   */
  public static ChildWorkflowOptions options(
      String childId, String workflowType, String subject, String target, String requestedBy) {
    return ChildWorkflowOptions.newBuilder()
        .setWorkflowId(childId)
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(RunbookSearchAttributes.RUNBOOK, workflowType)
            .set(RunbookSearchAttributes.TARGET, target)
            .set(RunbookSearchAttributes.REQUESTED_BY, requestedBy)
            .set(RunbookSearchAttributes.AWAITING_APPROVAL, false)
            .build())
        .setStaticSummary(workflowType + " of " + target + (subject == null ? "" : ", " + subject)
            + " for " + Workflow.getInfo().getWorkflowId() + ", requested by " + requestedBy)
        .build();
  }
}
