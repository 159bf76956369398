package io.pgrunbooks.workflows.assessment;

import io.pgrunbooks.workflows.common.RunProgress;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.targets.AssessmentThresholds;
import io.pgrunbooks.workflows.targets.Hosting;
import io.pgrunbooks.workflows.targets.TargetActivities;
import io.pgrunbooks.workflows.targets.TargetProfile;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Runs the checks of "Immediate Assessment", independent ones in parallel, and classifies. */
public class AssessDatabaseHealthWorkflowImpl implements AssessDatabaseHealthWorkflow {
  /** Change id: host targets stopped scheduling the kubernetes-only checks. */
  static final String SKIP_KUBERNETES_CHECKS_ON_HOST = "skip-kubernetes-checks-on-host";

  /** Change id: describeTarget became a local activity and hosting checks overlap pg_isready. */
  static final String OVERLAP_HOSTING_CHECKS = "local-describe-and-overlapping-hosting-checks";

  private final TargetActivities targets =
      Workflow.newActivityStub(TargetActivities.class, AssessmentTimeouts.DESCRIBE_TARGET);

  /**
   * A configuration lookup needs no task-queue round trip of its own: as a local activity it runs
   * inside the first workflow task (still recorded, still retried).
   */
  private final TargetActivities localTargets =
      Workflow.newLocalActivityStub(TargetActivities.class, AssessmentTimeouts.DESCRIBE_TARGET_LOCALLY);

  private final AssessmentActivities checks =
      Workflow.newActivityStub(
          AssessmentActivities.class, AssessmentTimeouts.CHECK, AssessmentTimeouts.PER_CHECK);

  private final List<CheckReport> checklist = new ArrayList<>();

  @Override
  public List<CheckReport> checklist() {
    return List.copyOf(checklist);
  }

  @Override
  public HealthAssessment assess(AssessmentRequest request) {
    String startedAt = now();
    String target = request.target();

    int shape = Workflow.getVersion(OVERLAP_HOSTING_CHECKS, Workflow.DEFAULT_VERSION, 1);
    boolean overlap = shape >= 1;

    // 0. Which cluster, hosted how, with which limits (fails at once for an unknown target).
    RunProgress.enter("describe-target", "Looking up target " + target);
    TargetProfile profile =
        overlap ? localTargets.describeTarget(target) : targets.describeTarget(target);
    AssessmentThresholds limits = profile.thresholds();

    // 1-3. Hosting checks (disk, memory, pods, volumes, application logs) always run, since they
    // also explain an outage; they need no answer from PostgreSQL, so they start with pg_isready.
    HostingChecks hosting = overlap ? startHostingChecks(target, profile) : null;

    // 1. Quick Database Health Check: pg_isready decides whether SQL checks make sense.
    RunProgress.enter("readiness", "pg_isready against the primary of " + target);
    CheckOutcome<Readiness> readiness = call(() -> checks.checkReadiness(target));
    if (!readiness.present()) {
      // A readiness probe that cannot finish in time is a database that does not answer.
      readiness =
          CheckOutcome.of(
              new Readiness(
                  ReadinessState.NO_RESPONSE, target, readiness.failureSummary(), null, -1));
    }
    boolean up = readiness.value().accepting();
    String down = "database is not accepting connections";

    // 1-3. SQL checks in parallel, only when the database is up.
    RunProgress.enter("checks", "Running the assessment checks of " + target + " in parallel");
    Promise<CheckOutcome<ServerIdentity>> server =
        up ? async(() -> checks.checkServerIdentity(target)) : skipped(down);
    Promise<CheckOutcome<ConnectionUsage>> connections =
        up ? async(() -> checks.checkConnectionUsage(target)) : skipped(down);
    Promise<CheckOutcome<LongRunningQueries>> slow =
        up
            ? async(() -> checks.findLongRunningQueries(target, limits.slowQuerySeconds()))
            : skipped(down);
    Promise<CheckOutcome<ReplicationStatus>> replication =
        up ? async(() -> checks.checkReplication(target)) : skipped(down);
    if (hosting == null) { // runs recorded before OVERLAP_HOSTING_CHECKS started them here
      hosting = startHostingChecks(target, profile);
    }
    Promise<CheckOutcome<StorageUsage>> storage = hosting.storage();
    Promise<CheckOutcome<ResourceUsage>> memory = hosting.memory();
    Promise<CheckOutcome<List<PodStatus>>> pods = hosting.pods();
    Promise<CheckOutcome<List<VolumeStatus>>> volumes = hosting.volumes();
    Promise<CheckOutcome<List<LogFinding>>> logs = hosting.logs();

    Findings findings =
        new Findings(
            readiness.value(),
            server.get().value(),
            connections.get().value(),
            slow.get().value(),
            replication.get().value(),
            storage.get().value(),
            memory.get().value(),
            pods.get().value(),
            volumes.get().value(),
            logs.get().value());

    // The checklist, in the seed's order, with every check that could not run.
    checklist.clear();
    report("readiness (pg_isready)", readiness, CheckSummaries::readiness);
    report("version and time", server.get(), CheckSummaries::server);
    report("connection usage", connections.get(), v -> CheckSummaries.connections(v, limits));
    report("application logs", logs.get(), CheckSummaries::logs);
    report("disk usage", storage.get(), v -> CheckSummaries.disk(v, limits));
    report("memory usage", memory.get(), CheckSummaries::memory);
    report("database pods", pods.get(), CheckSummaries::pods);
    report("persistent volumes", volumes.get(), CheckSummaries::volumes);
    report("replication", replication.get(), v -> CheckSummaries.replication(v, limits));
    report("long-running queries", slow.get(), CheckSummaries::slowQueries);

    // Classify against the Quick Reference table.
    Classification verdict = SeverityClassifier.classify(findings, limits);
    Workflow.upsertTypedSearchAttributes(
        RunbookSearchAttributes.SEVERITY.valueSet(verdict.severity().label()));
    RunProgress.enter(
        "done",
        verdict.severity() == Severity.NONE
            ? target + " looks healthy"
            : verdict.severity().label() + ": " + verdict.reasons().get(0));

    return new HealthAssessment(
        target,
        request.requestedBy(),
        startedAt,
        now(),
        verdict.severity(),
        verdict.severity().responseTime(),
        verdict.scenario(),
        verdict.reasons(),
        List.copyOf(checklist),
        findings);
  }

  /** The checks that go through the target's hosting rather than PostgreSQL. */
  private record HostingChecks(
      Promise<CheckOutcome<StorageUsage>> storage,
      Promise<CheckOutcome<ResourceUsage>> memory,
      Promise<CheckOutcome<List<PodStatus>>> pods,
      Promise<CheckOutcome<List<VolumeStatus>>> volumes,
      Promise<CheckOutcome<List<LogFinding>>> logs) {}

  private HostingChecks startHostingChecks(String target, TargetProfile profile) {
    Promise<CheckOutcome<StorageUsage>> storage = async(() -> checks.checkDiskUsage(target));
    Promise<CheckOutcome<ResourceUsage>> memory = async(() -> checks.checkMemoryUsage(target));
    // Pods, volumes and deployments exist on kubernetes only. Since version 1 the workflow says so
    // itself instead of scheduling activities that fail as not applicable (red in the Web UI).
    boolean kubernetesOnlyChecksRun =
        profile.hosting() == Hosting.KUBERNETES
            || Workflow.getVersion(SKIP_KUBERNETES_CHECKS_ON_HOST, Workflow.DEFAULT_VERSION, 1)
                == Workflow.DEFAULT_VERSION;
    String noKubernetes =
        "host hosting has no pods, volumes or deployments: PostgreSQL runs from " + profile.location();
    return new HostingChecks(
        storage,
        memory,
        kubernetesOnlyChecksRun
            ? async(() -> checks.checkDatabasePods(target))
            : notApplicable(noKubernetes),
        kubernetesOnlyChecksRun
            ? async(() -> checks.checkPersistentVolumes(target))
            : notApplicable(noKubernetes),
        kubernetesOnlyChecksRun
            ? async(() -> checks.scanApplicationLogs(target))
            : notApplicable(noKubernetes));
  }

  private static String now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
  }

  private static <T> CheckOutcome<T> call(Functions.Func<T> activity) {
    try {
      return CheckOutcome.of(activity.apply());
    } catch (ActivityFailure failure) {
      return CheckOutcome.failed(failure);
    }
  }

  private static <T> Promise<CheckOutcome<T>> async(Functions.Func<T> activity) {
    return Async.function(() -> call(activity));
  }

  private static <T> Promise<CheckOutcome<T>> skipped(String why) {
    return Workflow.newPromise(CheckOutcome.skipped(why));
  }

  private static <T> Promise<CheckOutcome<T>> notApplicable(String why) {
    return Workflow.newPromise(CheckOutcome.notApplicable(why));
  }

  private <T> void report(String name, CheckOutcome<T> outcome, Function<T, CheckReport> summary) {
    if (outcome.present()) {
      CheckReport r = summary.apply(outcome.value());
      checklist.add(new CheckReport(name, r.status(), r.summary()));
    } else {
      checklist.add(new CheckReport(name, outcome.failureStatus(), outcome.failureSummary()));
    }
  }

}
