package io.pgrunbooks.workflows.assessment;

/**
 * One row of {@code pg_stat_replication}; lags are seconds, null when the server reports none.
 *
 * @param clientAddr the replica's address
 * @param applicationName the replica's application_name
 * @param state streaming, catchup, startup, ...
 * @param syncState async, sync, potential, quorum
 * @param writeLagSeconds write_lag
 * @param flushLagSeconds flush_lag
 * @param replayLagSeconds replay_lag
 */
public record ReplicaLag(
    String clientAddr,
    String applicationName,
    String state,
    String syncState,
    Double writeLagSeconds,
    Double flushLagSeconds,
    Double replayLagSeconds) {}
