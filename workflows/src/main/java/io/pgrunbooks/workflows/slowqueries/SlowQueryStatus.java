package io.pgrunbooks.workflows.slowqueries;

/** How a run ended. */
public enum SlowQueryStatus {
  /** Dry run: diagnosed and planned, nothing changed. */
  PLANNED,
  /** Every step that applied was approved and done. */
  DONE,
  /** No slow query, no lock wait, no table needing VACUUM: nothing was proposed. */
  NOTHING_TO_DO,
  /** A gate was rejected or timed out; its step and the ones after it were not done. */
  REJECTED
}
