package io.pgrunbooks.workflows.crashrecovery;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * The side effects of Scenario 1, one per seed step; each changing step does exactly what its gate
 * showed, and re-checks the state first so that a retried attempt does not do it twice.
 */
@ActivityInterface
public interface CrashRecoveryActivities {

  /** "Check why pod failed": {@code kubectl describe pod} (events included) or pg_ctl status and postmaster.pid. */
  ServerState describeServer(String target);

  /** {@code kubectl logs --previous} and {@code --tail=50}, or the server's log file: an excerpt with the fatal lines. */
  ServerLogs readServerLogs(String target);

  /** "Check persistent volume": {@code kubectl get/describe pvc} of the claim, and df of the data directory's file system. */
  VolumeState checkVolume(String target, String claim);

  /** "Check for disk space issues": {@code du} of the data directory's top-level entries. */
  DiskUsage checkDataDirectorySpace(String target);

  /** "Check for resource constraints": {@code kubectl describe node} of the pod's node (null on a host or unreadable). */
  NodeResources checkNodeResources(String target, String node);

  /** The server log files older than {@code retentionDays} in the server's log directory (read-only, for the gate). */
  OldLogs findOldLogs(String target, int retentionDays);

  /**
   * "Restart pod": kubernetes: deletes the primary pod if its uid is still {@code identityBefore}
   * (else an earlier attempt did it) and waits for its replacement to be Running and Ready; host:
   * {@code pg_ctl start} of a stopped server, or {@code pg_ctl restart} of one that runs but does
   * not accept connections, then waits until it accepts them.
   */
  RestartOutcome restartDatabase(String target, String identityBefore);

  /** Deletes exactly the approved files, each only if it is still older than the retention. */
  LogCleanup deleteOldLogs(String target, String directory, List<LogFile> approved, int retentionDays);

  /** After a change: readiness (pg_isready), the pod's Ready condition, disk use. */
  RecoveryCheck recheckServer(String target);
}
