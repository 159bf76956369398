package io.pgrunbooks.workflows.restore;

import io.pgrunbooks.workflows.applications.ApplicationScaling;
import io.pgrunbooks.workflows.approval.GatedRun;
import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.approval.GateRequest;
import io.pgrunbooks.workflows.approval.OnTimeout;
import io.pgrunbooks.workflows.assessment.AssessDatabaseHealthWorkflow;
import io.pgrunbooks.workflows.assessment.AssessmentRequest;
import io.pgrunbooks.workflows.assessment.HealthAssessment;
import io.pgrunbooks.workflows.common.ChildRuns;
import io.pgrunbooks.workflows.common.RunProgress;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The restore, step by step. Two gates: before the applications stop, and before the swap. After
 * the first gate every failure scales the applications back to their recorded counts and leaves
 * the live database as it was; the run then fails naming the step it stopped at.
 */
public class RestoreFromBackupWorkflowImpl extends GatedRun implements RestoreFromBackupWorkflow {
  private final ApplicationScaling applications = new ApplicationScaling();
  private final RestoreActivities quick = Workflow.newActivityStub(RestoreActivities.class, RestoreTimeouts.QUICK);
  private final RestoreActivities slow = Workflow.newActivityStub(RestoreActivities.class, RestoreTimeouts.LONG);

  private final List<String> plan = new ArrayList<>();
  private final List<GateOutcome> decisions = new ArrayList<>();
  private RestoreRequest request;
  private FoundBackup backup;
  private RestoreMethod method;
  private RestoredDataCheck check;
  private String restoredName;
  private String preRestoreName;
  private boolean restoreStarted;
  private boolean swapped;

  @Override
  public RestoreResult restore(RestoreRequest request) {
    this.request = request;
    gate.requestedBy(request.requestedBy());
    String stamp = RestoreNames.stamp(Workflow.currentTimeMillis());
    restoredName = RestoreNames.restored(request.database(), stamp);
    preRestoreName = RestoreNames.preRestore(request.database(), stamp);

    // 1. Find the backup (read-only: a failure here has nothing to undo).
    RunProgress.enter("find-backup", "Finding the " + (request.objectKey() == null ? "newest backup" : "backup " + request.objectKey()) + " of " + request.database());
    backup = quick.findBackup(request.target(), request.database(), request.objectKey(), request.keyRef());
    method = quick.chooseMethod(request.target(), backup, request.mode() == null ? RestoreMode.AUTO : request.mode());
    RunProgress.enter("record-replicas", "Recording the applications' replica counts");
    applications.record(request.target());
    planSteps();
    if (request.dryRun()) {
      RunProgress.enter("planned", "Dry run: nothing was changed; the plan is in the result");
      return result(RestoreStatus.PLANNED, null, null);
    }

    // 2. Gate, then stop the applications (counts are already in history).
    GateOutcome first = gate.await(gateRequest(
        "scale-down-and-restore",
        ApplicationScaling.describe(applications.recorded(), true) + "; then restore " + backup.objectKey()
            + " into the new database " + restoredName + " (" + method.reason() + "); " + request.database() + " itself is not touched",
        "restore " + request.database() + " from the backup of " + backup.lastModified() + " (" + backup.kind() + ")"));
    decisions.add(first);
    if (!first.approved()) {
      return rejected(first);
    }
    String step = "scale-down";
    try {
      RunProgress.enter(step, ApplicationScaling.describe(applications.recorded(), true));
      applications.scaleDown(request.target());

      // 3. Restore into a new database.
      step = "restore";
      RunProgress.enter(step, "Restoring " + backup.objectKey() + " into " + restoredName + " (" + method.reason() + ")");
      restoreStarted = true;
      RestoredDatabase restored = slow.restoreInto(request.target(), backup, method, restoredName);

      // 4. Verify against what the backup recorded.
      step = "verify";
      RunProgress.enter(step, "Checking row counts and newest created_at in " + restoredName);
      check = slow.verifyRestored(request.target(), restoredName, backup);
      if (!check.passed()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "the restored data differs from the backup's record: " + String.join("; ", check.mismatches()), "RestoreVerificationFailed");
      }

      // 5. Gate, then swap by renaming; the old database is kept.
      step = "swap";
      GateOutcome second = gate.await(gateRequest(
          "swap-databases",
          "rename " + request.database() + " -> " + preRestoreName + " (kept) and " + restoredName + " -> " + request.database(),
          "the restored copy checks out: " + check.rowCounts().size() + " tables, " + check.rowCounts().values().stream().mapToLong(Long::longValue).sum()
              + " rows, newest " + check.newest() + " (restored in " + restored.millis() / 1000 + " s)"));
      decisions.add(second);
      if (!second.approved()) {
        RunProgress.enter("scale-back", ApplicationScaling.describe(applications.recorded(), false));
        applications.scaleBack(request.target());
        return rejected(second);
      }
      RunProgress.enter(step, "Renaming " + request.database() + " to " + preRestoreName + " and " + restoredName + " into its place");
      plan.add("swap: " + quick.swapDatabases(request.target(), request.database(), restoredName, preRestoreName));
      swapped = true;

      // 6. Applications back at their recorded counts.
      step = "scale-back";
      RunProgress.enter(step, ApplicationScaling.describe(applications.recorded(), false));
      applications.scaleBack(request.target());
    } catch (TemporalFailure failure) {
      throw compensated(step, failure);
    }

    // Post-recovery check: the assessment, as a child; its verdict is reported, not enforced.
    RunProgress.enter("assess", "Running the assessment as the post-recovery check");
    String severity = assess();
    RunProgress.enter("done", "Restored " + request.database() + " from " + backup.objectKey() + "; the old database is kept as " + preRestoreName);
    return result(RestoreStatus.RESTORED, null, severity);
  }

  private void planSteps() {
    plan.add("find backup: " + backup.objectKey() + " (" + backup.kind() + ", " + backup.sizeBytes() + " bytes, " + backup.lastModified() + ")");
    plan.add("gate scale-down-and-restore: wait for approval");
    plan.add(ApplicationScaling.describe(applications.recorded(), true));
    plan.add("restore into new database " + restoredName + ": " + method.reason());
    plan.add("verify row counts and newest created_at against the backup's record");
    plan.add("gate swap-databases: wait for approval");
    plan.add("rename " + request.database() + " -> " + preRestoreName + " (kept), " + restoredName + " -> " + request.database());
    plan.add(ApplicationScaling.describe(applications.recorded(), false));
    plan.add("run " + AssessDatabaseHealthWorkflow.TYPE + " as the post-recovery check");
  }

  private GateRequest gateRequest(String gateId, String action, String why) {
    long seconds = request.approvalTimeoutSeconds() > 0 ? request.approvalTimeoutSeconds() : 1800;
    return new GateRequest(
        gateId, action, "target " + request.target() + ", database " + request.database(), why,
        Duration.ofSeconds(seconds), request.abortOnApprovalTimeout() ? OnTimeout.ABORT : OnTimeout.KEEP_WAITING);
  }

  private RestoreResult rejected(GateOutcome outcome) {
    String kept = restoreStarted ? "; the restored copy " + restoredName + " is kept for inspection" : "";
    String reason = "gate " + outcome.gateId() + " " + ("timeout".equals(outcome.decidedBy()) ? "timed out" : "rejected by " + outcome.decidedBy())
        + (outcome.comment() == null ? "" : ": " + outcome.comment()) + "; " + request.database() + " was not changed" + kept;
    RunProgress.enter("rejected", reason);
    return result(RestoreStatus.REJECTED, outcome.gateId(), null, reason);
  }

  /** Undoes what was done after the first gate, then says where the run stopped. */
  private ApplicationFailure compensated(String step, TemporalFailure failure) {
    List<String> undone = new ArrayList<>();
    Workflow.newDetachedCancellationScope(() -> {
      if (restoreStarted && !swapped && !"verify".equals(step) && !"swap".equals(step)) {
        quick.dropRestoredDatabase(request.target(), restoredName);
        undone.add("the half-restored " + restoredName + " was dropped");
      } else if (restoreStarted && !swapped) {
        undone.add("the restored copy " + restoredName + " is kept for inspection");
      }
      if (applications.isDown()) {
        applications.scaleBack(request.target());
        undone.add("applications are back: " + ApplicationScaling.describe(applications.recorded(), false));
      }
    }).run();
    String state = swapped
        ? "the swap was done: " + request.database() + " is the restored data, the old one is " + preRestoreName
        : request.database() + " is untouched";
    String message = "restore of " + request.database() + " stopped at step '" + step + "': " + messageOf(failure) + ". "
        + state + (undone.isEmpty() ? "" : "; " + String.join("; ", undone));
    RunProgress.enter("failed", message);
    return ApplicationFailure.newNonRetryableFailureWithCause(
        message, "RestoreFailed", failure, result(RestoreStatus.FAILED, step, null, message));
  }

  private String assess() {
    AssessDatabaseHealthWorkflow assessment = Workflow.newChildWorkflowStub(
        AssessDatabaseHealthWorkflow.class,
        ChildRuns.options(Workflow.getInfo().getWorkflowId() + "/assessment", AssessDatabaseHealthWorkflow.TYPE,
            "after the restore of " + request.database(), request.target(), request.requestedBy()));
    try {
      HealthAssessment health = assessment.assess(new AssessmentRequest(request.target(), request.requestedBy()));
      return String.valueOf(health.severity());
    } catch (TemporalFailure e) {
      return "assessment failed: " + messageOf(e);
    }
  }

  private static String messageOf(TemporalFailure failure) {
    Throwable t = failure;
    while (t.getCause() instanceof TemporalFailure cause) {
      t = cause;
    }
    return t instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(t.getMessage());
  }

  private RestoreResult result(RestoreStatus status, String stoppedAt, String severity) {
    return result(status, stoppedAt, severity, null);
  }

  private RestoreResult result(RestoreStatus status, String stoppedAt, String severity, String reason) {
    return new RestoreResult(
        status, request.target(), request.database(), backup, method,
        restoreStarted ? restoredName : null, swapped ? preRestoreName : null, check,
        applications.recorded(), List.copyOf(plan), List.copyOf(decisions), severity, stoppedAt, reason);
  }
}
