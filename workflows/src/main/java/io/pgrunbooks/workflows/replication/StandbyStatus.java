package io.pgrunbooks.workflows.replication;

/**
 * One row of the primary's pg_stat_replication (the seed's first query, with the LSNs).
 *
 * @param pid the walsender's pid
 * @param applicationName the standby's application_name (cluster_name or primary_conninfo's)
 * @param clientAddr its address (null: a Unix socket)
 * @param state startup, catchup, streaming, backup, stopping
 * @param syncState async, potential, sync, quorum
 * @param sentLsn WAL sent
 * @param writeLsn WAL written on the standby
 * @param flushLsn WAL flushed on the standby
 * @param replayLsn WAL replayed on the standby
 * @param lagBytes pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)
 * @param writeLagSeconds write_lag; null when nothing was measured (an idle primary), not an error
 * @param flushLagSeconds flush_lag, the same
 * @param replayLagSeconds replay_lag, the same
 */
public record StandbyStatus(
    int pid,
    String applicationName,
    String clientAddr,
    String state,
    String syncState,
    String sentLsn,
    String writeLsn,
    String flushLsn,
    String replayLsn,
    Long lagBytes,
    Double writeLagSeconds,
    Double flushLagSeconds,
    Double replayLagSeconds) {

  public String describe() {
    return applicationName + "@" + (clientAddr == null ? "local" : clientAddr) + " " + state + " (" + syncState + "), replay "
        + (lagBytes == null ? "?" : lagBytes + " bytes") + " behind, replay_lag "
        + (replayLagSeconds == null ? "N/A (nothing measured)" : replayLagSeconds + " s");
  }
}
