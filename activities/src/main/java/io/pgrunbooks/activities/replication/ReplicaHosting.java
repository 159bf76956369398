package io.pgrunbooks.activities.replication;

import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.replication.Reinitialization;
import java.util.function.Consumer;

/** How a replica is seen and changed where it runs: on this host, or as a StatefulSet pod. */
interface ReplicaHosting {
  /** Whether its server runs (host: pg_ctl status; kubernetes: its pod exists and is ready); null: unknown. */
  Boolean serverRunning(TargetConfig target, Replica replica);

  /** Kubernetes: its pod's uid (null: no pod, or not kubernetes). */
  String podUid(TargetConfig target, Replica replica);

  /** Its recent log says "requested WAL segment ... has already been removed". */
  boolean logSaysWalRemoved(TargetConfig target, Replica replica);

  /** Why it cannot be reinitialized here (null: it can). */
  String reinitializeBlocker(TargetConfig target, Replica replica);

  /** Starts it, idempotently; returns what was done. */
  String start(TargetConfig target, Replica replica, String podUid);

  /** A new copy of the primary; see ReplicationActivities#reinitializeReplica. */
  Reinitialization reinitialize(TargetConfig target, Replica replica, String stamp, Consumer<String> progress);

  /** The words every log of a replica that lost its WAL has (walreceiver and walsender alike). */
  static boolean walRemoved(String log) {
    return log != null && log.contains("has already been removed");
  }
}
