package io.pgrunbooks.workflows.restore;

import io.pgrunbooks.workflows.approval.ApprovalSignals;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Seed 000, "From Automated Backups": find the backup, approve and stop the applications, restore
 * into a new database, verify, approve and swap, bring the applications back, assess.
 */
@WorkflowInterface
public interface RestoreFromBackupWorkflow extends ApprovalSignals {
  String TYPE = "RestoreFromBackup";

  @WorkflowMethod(name = TYPE)
  RestoreResult restore(RestoreRequest request);
}
