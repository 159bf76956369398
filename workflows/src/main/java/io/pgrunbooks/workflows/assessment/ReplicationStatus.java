package io.pgrunbooks.workflows.assessment;

import java.util.List;

/**
 * Replication as the primary sees it.
 *
 * @param replicas one entry per connected replica (empty when none are connected)
 * @param maxReplayLagSeconds the largest replay lag, 0 when there are no replicas
 */
public record ReplicationStatus(List<ReplicaLag> replicas, double maxReplayLagSeconds) {}
