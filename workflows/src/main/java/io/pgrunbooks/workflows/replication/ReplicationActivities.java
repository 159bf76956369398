package io.pgrunbooks.workflows.replication;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/** The side effects of Scenario 3; each changing step does exactly what its gate showed. */
@ActivityInterface
public interface ReplicationActivities {

  /** Step 1, read-only: pg_stat_replication per standby, the replication slots, the current LSN. */
  PrimaryReplication checkReplicationLag(String target);

  /**
   * Step 2, read-only: each configured replica ({@code replica} null: all) from itself (recovery,
   * receive and replay LSN, WAL receiver, paused replay) and from its hosting (server running, log);
   * lag measured against {@code primaryLsn}.
   */
  List<ReplicaStatus> checkReplicaStatus(String target, String replica, String primaryLsn);

  /** Step 3, read-only: a TCP connect from the worker to the primary's and each replica's port. */
  List<PortCheck> checkConnectivity(String target);

  /** Step 4, read-only: pg_stat_archiver on the primary. */
  ArchiverStatus checkWalArchiving(String target);

  /**
   * Step 5a: starts a replica that is down. Host: pg_ctl start of its data directory (nothing when
   * it runs). Kubernetes: deletes its pod if it is still the pod with {@code podUid}, so that its
   * StatefulSet recreates it (a retry after the delete finds the successor and leaves it alone).
   * Returns what was done.
   */
  String startReplica(String target, String replica, String podUid);

  /** Step 5b: pg_wal_replay_resume() on the replica, when its replay is paused. Returns what was done. */
  String resumeReplay(String target, String replica);

  /**
   * Step 5c: a new copy of the primary for the replica. Host: stop it, move its data directory to
   * {@code <dir>.pre_reinit_<stamp>} (kept), pg_basebackup -R -X stream (with its slot, dropped
   * first if lost and created anew), its own configuration carried over, start. Kubernetes: delete
   * its volume claim and pod (only when configured to), the StatefulSet recreates both. The same
   * {@code stamp} on a retry finds the old directory already kept and copies again.
   */
  Reinitialization reinitializeReplica(String target, String replica, String stamp);

  /** Step 6, read-only: one sample of a replica's lag behind the primary. */
  LagSample sampleLag(String target, String replica);
}
