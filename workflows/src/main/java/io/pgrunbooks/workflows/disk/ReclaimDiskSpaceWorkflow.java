package io.pgrunbooks.workflows.disk;

import io.pgrunbooks.workflows.approval.ApprovalSignals;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Seed 000, "Scenario 5: Disk Space Issues": measure what fills the data directory's disk and why
 * WAL piles up, then (each after its own approval) drop an abandoned replication slot, delete old
 * server logs, grow the volume, VACUUM (FULL) bloated tables; re-check the disk after every change.
 */
@WorkflowInterface
public interface ReclaimDiskSpaceWorkflow extends ApprovalSignals {
  String TYPE = "ReclaimDiskSpace";
  String DROP_SLOT_GATE = "drop-replication-slot";
  String DELETE_LOGS_GATE = "delete-old-logs";
  String EXPAND_GATE = "expand-volume";
  String VACUUM_FULL_GATE = "vacuum-full";
  String VACUUM_GATE = "vacuum";

  @WorkflowMethod(name = TYPE)
  ReclaimResult reclaim(DiskRequest request);
}
