package io.pgrunbooks.workflows.replication;

/**
 * One sample of a replica's lag during the re-check.
 *
 * @param at RFC 3339, the worker's clock
 * @param reachable whether the replica answered
 * @param walReceiverStatus pg_stat_wal_receiver.status (null: none)
 * @param primaryLsn pg_current_wal_lsn() on the primary
 * @param replayLsn pg_last_wal_replay_lsn() on the replica
 * @param lagBytes primaryLsn - replayLsn (null when unknown)
 */
public record LagSample(String at, boolean reachable, String walReceiverStatus, String primaryLsn, String replayLsn, Long lagBytes) {
  public String describe() {
    return reachable ? (lagBytes == null ? "lag unknown" : lagBytes + " bytes") + " (" + (walReceiverStatus == null ? "not streaming" : walReceiverStatus) + ")"
        : "unreachable";
  }
}
