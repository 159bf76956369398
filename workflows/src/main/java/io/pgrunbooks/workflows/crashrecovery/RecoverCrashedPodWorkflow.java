package io.pgrunbooks.workflows.crashrecovery;

import io.pgrunbooks.workflows.approval.ApprovalSignals;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Seed 000, "Scenario 1: Database Pod Crashed or Won't Start": find out why (pod state and events,
 * previous and current logs, volume, disk, node), then, each after its own approval, restart the
 * database, delete old server logs, restore a database from its backup; re-check after every change.
 */
@WorkflowInterface
public interface RecoverCrashedPodWorkflow extends ApprovalSignals {
  String TYPE = "RecoverCrashedPod";
  String RESTART_GATE = "restart-database";
  String LOG_CLEANUP_GATE = "delete-old-logs";
  String RESTORE_GATE = "restore-from-backup";

  @WorkflowMethod(name = TYPE)
  CrashRecoveryResult recover(CrashRecoveryRequest request);
}
