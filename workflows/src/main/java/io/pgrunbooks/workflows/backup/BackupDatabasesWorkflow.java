package io.pgrunbooks.workflows.backup;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Seed 003 "Manual Backup Execution" for several databases: each one a {@link
 * BackupDatabaseWorkflow} child, a bounded number at once; then metadata.json and the latest pointer.
 * One database failing does not lose the others.
 */
@WorkflowInterface
public interface BackupDatabasesWorkflow {
  String TYPE = "BackupDatabases";

  @WorkflowMethod(name = TYPE)
  BackupRunResult backup(BackupRequest request);
}
