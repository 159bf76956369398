package io.pgrunbooks.workflows.backupfailure;

/** How a RespondToBackupFailure run ended. */
public enum BackupFailureStatus {
  /** Dry run: checked and planned, nothing changed. */
  PLANNED,
  /** A new backup was made and verified. */
  VERIFIED,
  /** A fix was rejected (or its gate timed out): the run stopped there. */
  REJECTED,
  /** A problem this runbook does not fix is still there: no backup was attempted (findings say what to do). */
  BLOCKED,
  /** The new backup failed or did not verify. */
  FAILED
}
