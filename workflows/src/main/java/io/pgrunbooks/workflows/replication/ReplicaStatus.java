package io.pgrunbooks.workflows.replication;

/**
 * One configured replica, seen from itself and from its hosting (the seed's second query).
 *
 * @param name its configured name (also the application_name it should stream as)
 * @param endpoint host:port the worker connects to
 * @param reachable whether a connection succeeded
 * @param error why not (null when reachable)
 * @param serverRunning host: pg_ctl status; kubernetes: its pod exists and is ready; null: unknown
 * @param podUid kubernetes: the pod's uid (a restart deletes only this pod, never its successor)
 * @param inRecovery pg_is_in_recovery() (false: it was promoted, it is no replica any more)
 * @param receiveLsn pg_last_wal_receive_lsn()
 * @param replayLsn pg_last_wal_replay_lsn()
 * @param lastReplayTime pg_last_xact_replay_timestamp(), RFC 3339
 * @param walReceiverStatus pg_stat_wal_receiver.status (streaming, ...); null: no WAL receiver runs
 * @param replayPaused pg_is_wal_replay_paused()
 * @param lagBytes the primary's current LSN minus replayLsn (null when either is unknown)
 * @param slot the replication slot it is configured to use (null: none)
 * @param walRemoved its log says "requested WAL segment ... has already been removed"
 * @param dataDirectory host: its data directory (null: not configured, so it cannot be started)
 * @param pod kubernetes: its pod, namespace/name (null: not configured)
 * @param reinitializeBlocker why this runbook cannot reinitialize it (null: it can)
 */
public record ReplicaStatus(
    String name,
    String endpoint,
    boolean reachable,
    String error,
    Boolean serverRunning,
    String podUid,
    Boolean inRecovery,
    String receiveLsn,
    String replayLsn,
    String lastReplayTime,
    String walReceiverStatus,
    Boolean replayPaused,
    Long lagBytes,
    String slot,
    boolean walRemoved,
    String dataDirectory,
    String pod,
    String reinitializeBlocker) {

  public boolean streaming() {
    return "streaming".equals(walReceiverStatus);
  }

  public String describe() {
    if (!reachable) {
      return name + " (" + endpoint + ") unreachable: " + error
          + (serverRunning == null ? "" : serverRunning ? "; its server runs" : "; its server is down");
    }
    return name + " (" + endpoint + ") " + (Boolean.TRUE.equals(inRecovery) ? "in recovery" : "NOT in recovery")
        + ", WAL receiver " + (walReceiverStatus == null ? "not running" : walReceiverStatus)
        + (Boolean.TRUE.equals(replayPaused) ? ", replay PAUSED" : "")
        + ", replay at " + replayLsn + (lagBytes == null ? "" : " (" + lagBytes + " bytes behind)")
        + (lastReplayTime == null ? "" : ", last replayed transaction " + lastReplayTime);
  }
}
