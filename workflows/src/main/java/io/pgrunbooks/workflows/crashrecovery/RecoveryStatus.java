package io.pgrunbooks.workflows.crashrecovery;

/** How a run ended. */
public enum RecoveryStatus {
  /** Dry run: diagnosed and planned, nothing changed. */
  PLANNED,
  /** Every step that applied was approved and done. */
  DONE,
  /** The server was healthy and nothing applied: nothing was changed. */
  NOTHING_TO_DO,
  /** A gate was rejected or timed out; its step and the ones after it were not done. */
  REJECTED,
  /** The restore child failed (its own result says what it undid). */
  FAILED
}
