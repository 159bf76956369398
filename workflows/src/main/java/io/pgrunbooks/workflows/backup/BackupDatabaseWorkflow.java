package io.pgrunbooks.workflows.backup;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One database of seed 003's "Manual Backup Execution": dump, encrypt, upload, record. */
@WorkflowInterface
public interface BackupDatabaseWorkflow {
  String TYPE = "BackupDatabase";

  /** Never fails for a failed backup: the result says what failed and why. */
  @WorkflowMethod(name = TYPE)
  DatabaseBackup backup(DatabaseBackupRequest request);
}
