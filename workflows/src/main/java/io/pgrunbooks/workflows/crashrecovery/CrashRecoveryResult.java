package io.pgrunbooks.workflows.crashrecovery;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.common.ScenarioResult;
import io.pgrunbooks.workflows.restore.RestoreResult;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run found and did.
 *
 * @param status how it ended
 * @param target the target
 * @param server step 1: the server's or pod's state
 * @param logs step 1: the logs' excerpt and fatal lines
 * @param volume step 2: the PVC and the file system
 * @param disk step 2: what fills the data directory
 * @param node step 4 of the seed: the node's room (null on a host or when not readable)
 * @param oldLogs the log files older than the retention
 * @param plan the steps, as planned after the diagnosis
 * @param decisions every gate's outcome, in order
 * @param restart the restart's outcome (null: not done)
 * @param logCleanup the log deletion's outcome (null: not done)
 * @param restore the child RestoreFromBackup's result (null: not run or failed)
 * @param checks the re-check after each change, in order, each with the step before it
 * @param findings what the run found, and what it could not or would not do, for a person
 * @param reason why it stopped early (null when it did not)
 */
public record CrashRecoveryResult(
    RecoveryStatus status,
    String target,
    ServerState server,
    ServerLogs logs,
    VolumeState volume,
    DiskUsage disk,
    NodeResources node,
    OldLogs oldLogs,
    List<String> plan,
    List<GateOutcome> decisions,
    RestartOutcome restart,
    LogCleanup logCleanup,
    RestoreResult restore,
    List<String> checks,
    List<String> findings,
    String reason) implements ScenarioResult {

  @Override
  public String outcome() {
    return status.name();
  }

  @Override
  public List<String> actions() {
    List<String> done = new ArrayList<>();
    if (restart != null) {
      done.add(restart.action());
    }
    if (logCleanup != null && !logCleanup.deleted().isEmpty()) {
      done.add("deleted " + logCleanup.deleted().size() + " old server log file(s) (" + logCleanup.bytesFreed() + " bytes): "
          + String.join(", ", logCleanup.deleted()));
    }
    if (restore != null) {
      done.add("RestoreFromBackup of " + restore.database() + ": " + restore.status()
          + (restore.preRestoreDatabase() == null ? "" : " (the old database kept as " + restore.preRestoreDatabase() + ")"));
    }
    return done;
  }

  /** A restore swapped in replaces the database with its backup: what was written after it is lost. */
  @Override
  public String dataLoss() {
    if (restore == null || restore.preRestoreDatabase() == null || restore.backup() == null) {
      return "no: nothing was restored or rolled back";
    }
    return "yes: " + restore.database() + " was restored from " + restore.backup().objectKey() + " (stored "
        + restore.backup().lastModified() + "); writes after that backup are not in it (the old database is kept as "
        + restore.preRestoreDatabase() + ")";
  }

  @Override
  public List<String> errorsSeen() {
    return logs == null ? List.of() : logs.fatal();
  }
}
