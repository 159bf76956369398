package io.pgrunbooks.workflows.backup;

/** Outcome of one database's backup. */
public enum BackupStatus {
  /** The object is complete and in the store. */
  SUCCEEDED,
  /** No object was written (an aborted upload leaves none); the error says why. */
  FAILED
}
