package io.pgrunbooks.workflows.assessment;

import java.util.List;

/**
 * Everything the checks found; a field is null when its check did not produce a result (see the
 * checklist for why).
 */
public record Findings(
    Readiness readiness,
    ServerIdentity server,
    ConnectionUsage connections,
    LongRunningQueries longRunningQueries,
    ReplicationStatus replication,
    StorageUsage storage,
    ResourceUsage resources,
    List<PodStatus> pods,
    List<VolumeStatus> volumes,
    List<LogFinding> applicationLogs) {}
