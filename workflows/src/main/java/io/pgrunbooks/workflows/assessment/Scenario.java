package io.pgrunbooks.workflows.assessment;

/** The seed's "Common Resolution Scenarios", each the workflow that carries it out. */
public enum Scenario {
  /** Scenario 1: Database Pod Crashed or Won't Start. */
  RECOVER_CRASHED_POD("RecoverCrashedPod"),
  /** Scenario 2: Connection Pool Exhaustion. */
  RELIEVE_CONNECTION_EXHAUSTION("RelieveConnectionExhaustion"),
  /** Scenario 3: Replication Lag Issues. */
  REPAIR_REPLICATION_LAG("RepairReplicationLag"),
  /** Scenario 4: Database Performance Issues. */
  RESOLVE_SLOW_QUERIES("ResolveSlowQueries"),
  /** Scenario 5: Disk Space Issues. */
  RECLAIM_DISK_SPACE("ReclaimDiskSpace"),
  /** Nothing to repair. */
  NONE("none");

  private final String workflowType;

  Scenario(String workflowType) {
    this.workflowType = workflowType;
  }

  /** The workflow type that carries the scenario out. */
  public String workflowType() {
    return workflowType;
  }
}
