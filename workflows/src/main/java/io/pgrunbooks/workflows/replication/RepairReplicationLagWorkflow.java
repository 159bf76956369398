package io.pgrunbooks.workflows.replication;

import io.pgrunbooks.workflows.approval.ApprovalSignals;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Seed 000, "Scenario 3: Replication Lag Issues": look at replication from the primary, each
 * replica, the network between them and WAL archiving; then, per replica and from the facts, start
 * a replica that is down, resume a replay that is paused, or reinitialize a replica whose WAL is
 * gone from the primary (each after its own approval); then sample the lag until it is caught up.
 */
@WorkflowInterface
public interface RepairReplicationLagWorkflow extends ApprovalSignals {
  String TYPE = "RepairReplicationLag";
  /** Start a replica whose server is down (host: pg_ctl start; kubernetes: delete its pod). */
  String START_GATE = "start-replica";
  /** Rebuild a replica that cannot catch up by streaming (its WAL is gone from the primary). */
  String REINITIALIZE_GATE = "reinitialize-replica";
  /** pg_wal_replay_resume() on a replica whose replay is paused. */
  String RESUME_REPLAY_GATE = "resume-replay";

  @WorkflowMethod(name = TYPE)
  ReplicationResult repair(ReplicationRequest request);
}
