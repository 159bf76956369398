package io.pgrunbooks.workflows.pitr;

/** How a {@link RecoverToPointInTimeWorkflow} run ended without failing. */
public enum PitrOutcome {
  /** The database runs again, recovered to the target; the old data directory is kept aside. */
  RECOVERED,
  /** The gate was rejected (or aborted after escalating): nothing was changed. */
  REJECTED,
  /** A dry run: validated and planned, nothing changed. */
  DRY_RUN
}
