package io.pgrunbooks.workflows.assessment;

/** How one check went. */
public enum CheckStatus {
  /** Ran; nothing wrong. */
  OK,
  /** Ran; something needs attention. */
  WARNING,
  /** Ran; something is broken. */
  CRITICAL,
  /** Does not apply to this hosting (e.g. pods of a host-mode target). */
  NOT_APPLICABLE,
  /** Not run because an earlier finding makes it pointless (SQL checks of a database that is down). */
  SKIPPED,
  /** Did not finish within its timeout. */
  TIMED_OUT,
  /** Tried and failed; the summary says why. */
  FAILED
}
