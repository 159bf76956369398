package io.pgrunbooks.api.runs;

/**
 * One running activity, as a run's status shows it.
 *
 * @param workflowId the run (or child run) it belongs to
 * @param activityType e.g. BackupDatabase's {@code BackupDatabase}
 * @param state scheduled, started, cancel requested
 * @param attempt 1 for the first try; more after a retry (a worker crash, a transient error)
 * @param lastHeartbeatAt RFC 3339, null before the first heartbeat
 * @param heartbeat the last heartbeat's details, e.g. {@code {"dumpedBytes": ..., "uploadedBytes": ...}}
 */
public record ActivityProgress(
    String workflowId, String activityType, String state, int attempt, String lastHeartbeatAt, Object heartbeat) {}
