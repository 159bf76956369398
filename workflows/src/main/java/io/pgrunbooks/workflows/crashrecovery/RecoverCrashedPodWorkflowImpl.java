package io.pgrunbooks.workflows.crashrecovery;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.approval.GateRequest;
import io.pgrunbooks.workflows.approval.GatedRun;
import io.pgrunbooks.workflows.approval.OnTimeout;
import io.pgrunbooks.workflows.common.ChildRuns;
import io.pgrunbooks.workflows.common.RunProgress;
import io.pgrunbooks.workflows.restore.RestoreFromBackupWorkflow;
import io.pgrunbooks.workflows.restore.RestoreRequest;
import io.pgrunbooks.workflows.restore.RestoreResult;
import io.pgrunbooks.workflows.restore.RestoreStatus;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The scenario, step by step. The diagnosis (the seed's describe, logs, PVC, du and node steps) runs
 * first and changes nothing; then each fix that applies has its own gate showing exactly what it
 * will do to what. A rejected (or, after 30 minutes, undecided) gate ends the run there. After every
 * change the server's readiness, the pod's Ready condition and the disk are checked again.
 *
 * <p>Corrections of the seed: a restart is not offered while the data directory's file system is
 * full (the server would crash again: that is Scenario 5); {@code find /var/lib/postgresql/data
 * -name "*.log" -mtime +7 -delete} would walk the whole data directory and delete any "*.log" in it,
 * so only the server's own log files (log_directory, log_filename) older than the retention are
 * listed, never the one it writes to now, and exactly those are deleted; the restore script is
 * {@link RestoreFromBackupWorkflow}, run as a child with its own gates and the id
 * {@code <this run's id>/restore} (never {@code destructive/<target>}, which this run may hold).
 */
public class RecoverCrashedPodWorkflowImpl extends GatedRun implements RecoverCrashedPodWorkflow {
  /** An incident's picture goes stale: a gate nobody decides on within this ends the run. */
  static final Duration GATE_TIMEOUT = Duration.ofMinutes(30);

  private final CrashRecoveryActivities quick =
      Workflow.newActivityStub(CrashRecoveryActivities.class, CrashRecoveryTimeouts.QUICK);
  private final CrashRecoveryActivities restarts =
      Workflow.newActivityStub(CrashRecoveryActivities.class, CrashRecoveryTimeouts.RESTART);

  private final List<String> plan = new ArrayList<>();
  private final List<GateOutcome> decisions = new ArrayList<>();
  private final List<String> checks = new ArrayList<>();
  private final List<String> findings = new ArrayList<>();
  private CrashRecoveryRequest request;
  private ServerState server;
  private ServerLogs logs;
  private VolumeState volume;
  private DiskUsage disk;
  private NodeResources node;
  private OldLogs oldLogs;
  private RecoveryCheck last;
  private RestartOutcome restart;
  private LogCleanup logCleanup;
  private RestoreResult restore;

  @Override
  public CrashRecoveryResult recover(CrashRecoveryRequest request) {
    this.request = request;
    gate.requestedBy(request.requestedBy());
    int retentionDays = request.logRetentionDaysOrDefault();
    String target = request.target();

    // 1. Check why the pod failed: kubectl describe pod (host: pg_ctl status, postmaster.pid).
    RunProgress.enter("describe", "Checking why the database server on " + target + " failed");
    server = quick.describeServer(target);
    // 1b. kubectl logs --previous, and the startup logs (--tail=50); host: the server log.
    RunProgress.enter("logs", "Reading the server's logs");
    logs = quick.readServerLogs(target);
    // 2. Check the persistent volume: kubectl get pvc, kubectl describe pvc; df of the data directory.
    RunProgress.enter("volume", "Checking the persistent volume and its file system");
    volume = quick.checkVolume(target, server.volumeClaim());
    // 3. Check for disk space issues: du of the data directory's top-level entries.
    RunProgress.enter("disk", "Measuring what fills the data directory");
    disk = quick.checkDataDirectorySpace(target);
    // 4. Check for resource constraints: kubectl describe node of the pod's node.
    if (server.node() != null) {
      RunProgress.enter("node", "Checking resources of node " + server.node());
      node = quick.checkNodeResources(target, server.node());
    }
    RunProgress.enter("readiness", "Checking whether the server accepts connections");
    last = quick.recheckServer(target);
    RunProgress.enter("old-logs", "Listing server log files older than " + retentionDays + " days");
    oldLogs = quick.findOldLogs(target, retentionDays);

    boolean restartNeeded = !last.healthy();
    boolean restartSafe = !volume.full();
    boolean doRestart = restartNeeded && restartSafe;
    boolean doCleanup = !oldLogs.files().isEmpty();
    boolean doRestore = request.restoreDatabase() != null && !request.restoreDatabase().isBlank();
    diagnose(restartNeeded, retentionDays);
    planSteps(doRestart, doCleanup, doRestore);
    if (request.dryRun()) {
      RunProgress.enter("planned", "Dry run: nothing was changed; the plan is in the result");
      return result(RecoveryStatus.PLANNED, null);
    }
    if (!doRestart && !doCleanup && !doRestore) {
      RunProgress.enter("done", "Nothing to do: " + last.describe());
      return result(RecoveryStatus.NOTHING_TO_DO, null);
    }

    // Fix 1: restart the pod (kubectl delete pod; host: pg_ctl start), if it is a transient issue.
    if (doRestart) {
      GateOutcome decision = ask(gateRequest(RESTART_GATE, restartAction(), "the database is down: " + server.describe()
          + (logs.fatal().isEmpty() ? "" : "; the log says: " + logs.fatal().get(logs.fatal().size() - 1))));
      if (!decision.approved()) {
        return rejected(decision);
      }
      RunProgress.enter("restart", restartAction());
      restart = restarts.restartDatabase(target, server.identity());
      recheck("after the restart (" + restart.action() + ")");
    }

    // Fix 2: disk space: delete the server's old log files, exactly those listed.
    if (doCleanup) {
      GateOutcome decision = ask(gateRequest(LOG_CLEANUP_GATE,
          "delete " + oldLogs.files().size() + " server log file(s) older than " + retentionDays + " days ("
              + oldLogs.bytes() + " bytes) from " + oldLogs.directory() + ": "
              + oldLogs.files().stream().map(LogFile::describe).collect(Collectors.joining(", "))
              + "; each is checked again before it is deleted, nothing else is touched",
          "old server logs take disk space: " + volume.describe()));
      if (!decision.approved()) {
        return rejected(decision);
      }
      RunProgress.enter("delete-logs", "Deleting " + oldLogs.files().size() + " old server log file(s)");
      logCleanup = quick.deleteOldLogs(target, oldLogs.directory(), oldLogs.files(), retentionDays);
      recheck("after deleting " + logCleanup.deleted().size() + " old log file(s), " + logCleanup.bytesFreed() + " bytes");
    }

    // Fix 3: if the data is corrupted, restore from backup (the RestoreFromBackup runbook, as a child).
    if (doRestore) {
      if (!last.healthy()) {
        findings.add("the restore of " + request.restoreDatabase() + " was not started: it restores into the running server, which is "
            + last.describe());
      } else {
        CrashRecoveryResult stopped = restoreFromBackup();
        if (stopped != null) {
          return stopped;
        }
      }
    }

    String outcome = checks.isEmpty() ? "nothing was changed: " + last.describe() : checks.get(checks.size() - 1);
    RunProgress.enter("done", outcome);
    return result(RecoveryStatus.DONE, null);
  }

  /** Findings of the diagnosis, for a person. */
  private void diagnose(boolean restartNeeded, int retentionDays) {
    findings.add("server: " + server.describe());
    if (!logs.fatal().isEmpty()) {
      findings.add("the log says: " + String.join(" | ", logs.fatal().subList(Math.max(0, logs.fatal().size() - 5), logs.fatal().size())));
    }
    findings.addAll(logs.notes());
    findings.add("storage: " + volume.describe());
    findings.addAll(volume.notes());
    if (disk.note() != null) {
      findings.add("data directory size not measured: " + disk.note());
    } else if (!disk.entries().isEmpty()) {
      findings.add("data directory " + disk.dataDirectory() + " holds " + disk.totalBytes() + " bytes; largest: "
          + disk.entries().stream().limit(3).map(e -> e.path() + " " + e.bytes()).collect(Collectors.joining(", ")));
    }
    if (node != null) {
      findings.add(node.describe());
    }
    if (server.pidFile() != null && server.pidFile().contains("stale")) {
      findings.add("the stale postmaster.pid is left alone: PostgreSQL checks that its pid is gone and replaces the file at start;"
          + " deleting it by hand could let a second postmaster start on a data directory still in use");
    }
    if (restartNeeded && volume.full()) {
      findings.add("the data directory's file system is full: a restart would crash again. This is Scenario 5 (ReclaimDiskSpace):"
          + " free space or expand the volume first; no restart is offered");
    } else if (!restartNeeded) {
      findings.add("the server accepts connections" + (server.hosting() == Hosting.KUBERNETES ? " and its pod is ready" : "")
          + ": no restart needed");
    }
    if (oldLogs.note() != null) {
      findings.add("old server logs not listed: " + oldLogs.note());
    } else if (oldLogs.files().isEmpty()) {
      findings.add("no server log file in " + oldLogs.directory() + " is older than " + retentionDays + " days");
    }
  }

  private void planSteps(boolean doRestart, boolean doCleanup, boolean doRestore) {
    plan.add("diagnose: " + server.describe() + "; " + volume.describe() + "; " + last.describe());
    if (doRestart) {
      plan.add("gate " + RESTART_GATE + ": wait for approval");
      plan.add(restartAction());
      plan.add("re-check readiness");
    }
    if (doCleanup) {
      plan.add("gate " + LOG_CLEANUP_GATE + ": wait for approval");
      plan.add("delete " + oldLogs.files().stream().map(LogFile::name).collect(Collectors.joining(", ")) + " in " + oldLogs.directory());
      plan.add("re-check readiness and disk");
    }
    if (doRestore) {
      plan.add("gate " + RESTORE_GATE + ": wait for approval");
      plan.add("run " + RestoreFromBackupWorkflow.TYPE + " of " + request.restoreDatabase() + " as child " + restoreId()
          + " (its own gates: scale-down-and-restore, swap-databases)");
      plan.add("re-check readiness");
    }
  }

  private String restartAction() {
    if (server.hosting() == Hosting.KUBERNETES) {
      return server.identity() == null
          ? "wait for the StatefulSet to recreate pod " + server.where() + " (there is none to delete) until it is Running and Ready"
          : "delete pod " + server.where() + " (uid " + server.identity() + "); its StatefulSet recreates it; wait until the new pod is"
              + " Running and Ready";
    }
    return server.running()
        ? "pg_ctl restart -m fast of the server at " + server.where() + " (" + server.identity() + "), which runs but does not accept"
            + " connections: " + last.describe()
        : "pg_ctl start of the server at " + server.where() + " with the options it last ran with (postmaster.opts); nothing is"
            + " deleted by hand";
  }

  /** Gate, then the child restore; null when it ended well, else the run's result. */
  private CrashRecoveryResult restoreFromBackup() {
    String database = request.restoreDatabase();
    GateOutcome decision = ask(gateRequest(RESTORE_GATE,
        "run " + RestoreFromBackupWorkflow.TYPE + " for database " + database + " from its newest backup, as child workflow "
            + restoreId() + "; it asks again before stopping the applications and before swapping the restored copy in"
            + " (the old database is kept)",
        "the request asks to restore " + database + " (e.g. its data is corrupted)"));
    if (!decision.approved()) {
      return rejected(decision);
    }
    RunProgress.enter("restore", "Restoring " + database + " from backup (child " + restoreId() + ")");
    RestoreFromBackupWorkflow child = Workflow.newChildWorkflowStub(
        RestoreFromBackupWorkflow.class,
        ChildRuns.options(restoreId(), RestoreFromBackupWorkflow.TYPE, "database " + database, request.target(), request.requestedBy()));
    try {
      restore = child.restore(new RestoreRequest(
          request.target(), database, null, null, null, false, request.requestedBy(), GATE_TIMEOUT.toSeconds(), true));
    } catch (ChildWorkflowFailure failure) {
      restore = failedRestore(failure);
      String reason = "the restore of " + database + " failed: " + messageOf(failure);
      recheck("after the failed restore");
      RunProgress.enter("failed", reason);
      return result(RecoveryStatus.FAILED, reason);
    }
    if (restore.status() == RestoreStatus.REJECTED) {
      String reason = "the restore of " + database + " stopped at its own gate: " + restore.reason();
      RunProgress.enter("rejected", reason);
      return result(RecoveryStatus.REJECTED, reason);
    }
    recheck("after restoring " + database + " (" + restore.status() + ")");
    return null;
  }

  private String restoreId() {
    return Workflow.getInfo().getWorkflowId() + "/restore";
  }

  /** The child's partial result, which RestoreFromBackup attaches to its failure. */
  private static RestoreResult failedRestore(ChildWorkflowFailure failure) {
    if (failure.getCause() instanceof ApplicationFailure app && app.getDetails() != null) {
      try {
        return app.getDetails().get(RestoreResult.class);
      } catch (RuntimeException noDetails) {
        return null;
      }
    }
    return null;
  }

  private static String messageOf(ChildWorkflowFailure failure) {
    Throwable t = failure.getCause() == null ? failure : failure.getCause();
    return t instanceof ApplicationFailure app ? app.getOriginalMessage() : t.getMessage();
  }

  private void recheck(String after) {
    RunProgress.enter("recheck", "Checking the database " + after);
    last = quick.recheckServer(request.target());
    checks.add(after + ": " + last.describe() + (last.healthy() ? " (back: it helped)" : " (STILL DOWN: it did not help)"));
  }

  private GateRequest gateRequest(String gateId, String action, String why) {
    return new GateRequest(gateId, action, "target " + request.target() + " (" + server.where() + ")", why, GATE_TIMEOUT,
        OnTimeout.ABORT);
  }

  private GateOutcome ask(GateRequest gateRequest) {
    GateOutcome outcome = gate.await(gateRequest);
    decisions.add(outcome);
    return outcome;
  }

  private CrashRecoveryResult rejected(GateOutcome outcome) {
    String reason = "gate " + outcome.gateId() + " " + ("timeout".equals(outcome.decidedBy()) ? "timed out" : "rejected by " + outcome.decidedBy())
        + (outcome.comment() == null ? "" : ": " + outcome.comment()) + "; its step and the ones after it were not done";
    RunProgress.enter("rejected", reason);
    return result(RecoveryStatus.REJECTED, reason);
  }

  private CrashRecoveryResult result(RecoveryStatus status, String reason) {
    return new CrashRecoveryResult(
        status, request.target(), server, logs, volume, disk, node, oldLogs, List.copyOf(plan), List.copyOf(decisions), restart,
        logCleanup, restore, List.copyOf(checks), List.copyOf(findings), reason);
  }
}
