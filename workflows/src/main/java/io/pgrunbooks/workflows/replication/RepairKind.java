package io.pgrunbooks.workflows.replication;

/** The fixes this runbook makes, each behind its own gate. */
public enum RepairKind {
  /** The replica's server is down: start it (host: pg_ctl start; kubernetes: delete its pod). */
  START(RepairReplicationLagWorkflow.START_GATE),
  /** Its replay is paused: pg_wal_replay_resume(). */
  RESUME_REPLAY(RepairReplicationLagWorkflow.RESUME_REPLAY_GATE),
  /** The WAL it needs is gone from the primary: copy the primary anew (pg_basebackup). */
  REINITIALIZE(RepairReplicationLagWorkflow.REINITIALIZE_GATE);

  private final String gateId;

  RepairKind(String gateId) {
    this.gateId = gateId;
  }

  public String gateId() {
    return gateId;
  }
}
