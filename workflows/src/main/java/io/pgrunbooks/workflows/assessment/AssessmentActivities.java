package io.pgrunbooks.workflows.assessment;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * The checks of "Immediate Assessment", one activity each, named after the seed's steps. Every
 * check takes the target's name and resolves endpoints and credentials itself. A check that does
 * not apply to the target's hosting fails non-retryably with type {@link
 * AssessmentFailures#NOT_APPLICABLE}.
 */
@ActivityInterface
public interface AssessmentActivities {

  /** Step 1, {@code pg_isready}: does the primary accept connections? Never throws for "down". */
  Readiness checkReadiness(String target);

  /** Step 1, {@code SELECT version(); SELECT NOW();}. */
  ServerIdentity checkServerIdentity(String target);

  /** Step 2, connections in use against max_connections. */
  ConnectionUsage checkConnectionUsage(String target);

  /** Active statements older than the threshold (seed Scenario 4's query, for the SEV-3 row). */
  LongRunningQueries findLongRunningQueries(String target, double thresholdSeconds);

  /** Replay lag of every replica (pg_stat_replication), for the replication-lag row. */
  ReplicationStatus checkReplication(String target);

  /** Step 3, {@code df -h}: disk use of the file system that holds the data directory. */
  StorageUsage checkDiskUsage(String target);

  /** Step 3, {@code free -h} and {@code kubectl top pod}. */
  ResourceUsage checkMemoryUsage(String target);

  /** Step 1, {@code kubectl get pods -l app=postgres -o wide}. Kubernetes hosting only. */
  List<PodStatus> checkDatabasePods(String target);

  /** Step 3, {@code kubectl get pv | grep postgres}. Kubernetes hosting only. */
  List<VolumeStatus> checkPersistentVolumes(String target);

  /**
   * Step 2, {@code kubectl logs deployment/<app> --tail=20 --since=10m | grep database errors}, for
   * every application deployment the target names. Kubernetes hosting only.
   */
  List<LogFinding> scanApplicationLogs(String target);
}
