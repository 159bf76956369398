package io.pgrunbooks.workflows.disk;

/** How a run ended. */
public enum ReclaimStatus {
  /** Dry run: diagnosed and planned, nothing changed. */
  PLANNED,
  /** Every step that applied was approved and done. */
  DONE,
  /** The diagnosis found nothing the run may change; the findings say what a person may do. */
  NOTHING_TO_DO,
  /** A gate was rejected or timed out; the steps after it were not done. */
  REJECTED
}
