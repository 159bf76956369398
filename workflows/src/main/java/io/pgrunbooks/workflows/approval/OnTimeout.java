package io.pgrunbooks.workflows.approval;

/** What a gate does when nobody decided within its timeout (after escalating). */
public enum OnTimeout {
  /** Escalate again after another timeout, and keep waiting. */
  KEEP_WAITING,
  /** Escalate, then end the step as rejected: nothing is changed. */
  ABORT
}
