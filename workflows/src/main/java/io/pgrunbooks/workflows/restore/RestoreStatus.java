package io.pgrunbooks.workflows.restore;

/** How a restore run ended (a failure ends the run as failed, with the partial result attached). */
public enum RestoreStatus {
  /** Restored, verified, swapped in, applications back. */
  RESTORED,
  /** A person rejected a gate (or nobody decided in time): nothing was changed. */
  REJECTED,
  /** A dry run: the plan of what would happen. */
  PLANNED,
  /** A step failed; compensation ran (see the reason and stoppedAt). */
  FAILED
}
