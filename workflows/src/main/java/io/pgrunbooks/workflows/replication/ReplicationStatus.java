package io.pgrunbooks.workflows.replication;

/** How a run ended. */
public enum ReplicationStatus {
  /** Dry run: diagnosed and planned, nothing changed. */
  PLANNED,
  /** Every fix that applied was approved and done; the checks say whether each replica recovered. */
  DONE,
  /** No replica needs a fix this runbook can make (the findings say what a person may do). */
  NOTHING_TO_DO,
  /** A gate was rejected or timed out; its fix and the ones after it were not done. */
  REJECTED
}
