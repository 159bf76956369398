package io.pgrunbooks.workflows.pitr;

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
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The steps of "Point-in-Time Recovery", one activity each; see {@link RecoverToPointInTimeWorkflow}. */
public class RecoverToPointInTimeWorkflowImpl extends GatedRun implements RecoverToPointInTimeWorkflow {
  private static final DateTimeFormatter LABEL =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

  private final ApplicationScaling applications = new ApplicationScaling();

  private final PitrActivities steps =
      Workflow.newActivityStub(PitrActivities.class, PitrTimeouts.QUICK, PitrTimeouts.PER_STEP);

  @Override
  public PitrResult recover(PitrRequest request) {
    gate.requestedBy(request.requestedBy());
    String label = LABEL.format(Instant.ofEpochMilli(Workflow.currentTimeMillis()));

    // 1. Validate the target time against the recoverable window, before anything stops.
    RunProgress.enter("validate", "Checking " + request.targetTime() + " against what the archive of " + request.target() + " can recover");
    RecoveryPlan plan = steps.planRecovery(request, label);
    RunProgress.enter("record-replicas", "Recording the applications' replica counts");
    applications.record(request.target());
    if (request.dryRun()) {
      for (String step : plan.steps()) {
        RunProgress.enter("dry-run", "Dry run, would: " + step);
      }
      RunProgress.enter("done", "Dry run: " + plan.target() + " can be recovered to " + plan.targetTime() + "; nothing was changed");
      return new PitrResult(PitrOutcome.DRY_RUN, plan, null, null, null, null, null, null,
          "dry run: the plan is valid; nothing was changed");
    }

    // 2. Stop the database, once a person approved what will be lost.
    GateOutcome decision =
        gate.await(
            new GateRequest(
                GATE,
                ApplicationScaling.describe(applications.recorded(), true) + "; stop " + plan.target() + ", move " + plan.dataDirectory() + " aside to " + plan.asideDirectory()
                    + ", restore backup " + plan.backupSet() + " and replay WAL to " + plan.targetTime()
                    + ". Lost: " + plan.atRisk().describe(),
                "target " + plan.target() + " (stanza " + plan.stanza() + ")",
                "recover to the state at " + plan.targetTime() + " (window " + plan.window().opensAt() + " to "
                    + plan.window().closesAt() + ")",
                PitrTimeouts.GATE_TIMEOUT,
                OnTimeout.ABORT));
    if (!decision.approved()) {
      RunProgress.enter("done", "Rejected by " + decision.decidedBy() + ": nothing was changed");
      return new PitrResult(PitrOutcome.REJECTED, plan, decision, null, null, null, null, null,
          "rejected by " + decision.decidedBy() + (decision.comment() == null ? "" : ": " + decision.comment())
              + "; nothing was changed");
    }
    String stoppedAt;
    try {
      RunProgress.enter("scale-down", ApplicationScaling.describe(applications.recorded(), true));
      applications.scaleDown(request.target());
      RunProgress.enter("stop", "Stopping " + plan.target());
      stoppedAt = steps.stopDatabase(plan);
    } catch (ActivityFailure failure) {
      applications.scaleBack(request.target()); // the data directory was not touched: back as they were
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          message(failure) + ". Nothing was moved or restored; the applications are back at their counts", "RecoveryFailed", failure);
    }

    // 3. Move the data directory aside (never deleted), restore the backup set into its place.
    RecoveryPoint point;
    String aside;
    try {
      RunProgress.enter("move-aside", "Moving " + plan.dataDirectory() + " to " + plan.asideDirectory());
      aside = steps.moveDataDirectoryAside(plan);
      RunProgress.enter("restore", "pgbackrest restore of " + plan.backupSet() + " into " + plan.dataDirectory());
      steps.restoreBackup(plan);

      // 4. Start the server and follow recovery until it is promoted at the target.
      RunProgress.enter("recover", "Replaying WAL to " + plan.targetTime());
      steps.startDatabase(plan);
      point = steps.followRecovery(plan);
    } catch (ActivityFailure failure) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          message(failure) + ". The data directory as it was before recovery is kept at " + plan.asideDirectory()
              + "; to go back, stop the server and move it back to " + plan.dataDirectory()
              + ". The applications stay down until the database is back: then "
              + ApplicationScaling.describe(applications.recorded(), false),
          "RecoveryFailed", failure);
    }

    // 5. Verify with data, then the post-recovery health assessment.
    String checkValue = null;
    if (request.checkSql() != null && !request.checkSql().isBlank()) {
      RunProgress.enter("verify", "Running the check query read-only");
      checkValue = steps.runCheckQuery(plan, request.checkDatabase(), request.checkSql());
    }
    RunProgress.enter("scale-back", ApplicationScaling.describe(applications.recorded(), false));
    applications.scaleBack(request.target());
    RunProgress.enter("assess", "Assessing " + plan.target() + " after recovery");
    HealthAssessment assessment = assess(plan, request.requestedBy());
    RunProgress.enter("done", "Recovered to " + plan.targetTime() + "; the old data directory is kept at " + aside);
    return new PitrResult(PitrOutcome.RECOVERED, plan, decision, stoppedAt, aside, point, checkValue, assessment,
        "recovered to " + plan.targetTime() + " (stopped before the commit at " + point.stoppedBeforeCommitAt()
            + "); the old data directory is kept at " + aside
            + (assessment == null ? "; the health assessment did not complete" : "; health: " + assessment.severity()));
  }

  /** The assessment is a check after the fact: its failure is reported, it does not undo the recovery. */
  private static HealthAssessment assess(RecoveryPlan plan, String requestedBy) {
    AssessDatabaseHealthWorkflow child =
        Workflow.newChildWorkflowStub(
            AssessDatabaseHealthWorkflow.class,
            ChildRuns.options(Workflow.getInfo().getWorkflowId() + "/assess", AssessDatabaseHealthWorkflow.TYPE,
                "after point-in-time recovery", plan.target(), requestedBy));
    try {
      return child.assess(new AssessmentRequest(plan.target(), requestedBy));
    } catch (ChildWorkflowFailure failure) {
      Workflow.getLogger(RecoverToPointInTimeWorkflowImpl.class).warn("post-recovery assessment failed", failure);
      return null;
    }
  }

  private static String message(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    return cause instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(cause);
  }
}
