package io.pgrunbooks.workflows.connections;

/** How a run ended. */
public enum RelieveStatus {
  /** Dry run: diagnosed and planned, nothing changed. */
  PLANNED,
  /** Every step that applied was approved and done (or had nothing to do). */
  DONE,
  /** A gate was rejected or timed out; the steps after it were not done. */
  REJECTED
}
