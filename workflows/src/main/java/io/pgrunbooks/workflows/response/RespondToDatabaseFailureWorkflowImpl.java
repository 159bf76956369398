package io.pgrunbooks.workflows.response;

import io.pgrunbooks.workflows.alerts.AlertNotice;
import io.pgrunbooks.workflows.assessment.AssessDatabaseHealthWorkflow;
import io.pgrunbooks.workflows.assessment.AssessmentRequest;
import io.pgrunbooks.workflows.assessment.HealthAssessment;
import io.pgrunbooks.workflows.assessment.LogFinding;
import io.pgrunbooks.workflows.assessment.Scenario;
import io.pgrunbooks.workflows.common.ChildRuns;
import io.pgrunbooks.workflows.common.FailureMessages;
import io.pgrunbooks.workflows.common.RunProgress;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.common.ScenarioResult;
import io.pgrunbooks.workflows.connections.ConnectionRequest;
import io.pgrunbooks.workflows.connections.RelieveConnectionExhaustionWorkflow;
import io.pgrunbooks.workflows.crashrecovery.CrashRecoveryRequest;
import io.pgrunbooks.workflows.crashrecovery.RecoverCrashedPodWorkflow;
import io.pgrunbooks.workflows.diagnosis.DiagnoseDatabaseWorkflow;
import io.pgrunbooks.workflows.disk.DiskRequest;
import io.pgrunbooks.workflows.disk.ReclaimDiskSpaceWorkflow;
import io.pgrunbooks.workflows.replication.RepairReplicationLagWorkflow;
import io.pgrunbooks.workflows.replication.ReplicationRequest;
import io.pgrunbooks.workflows.diagnosis.DiagnosisReport;
import io.pgrunbooks.workflows.diagnosis.DiagnosisRequest;
import io.pgrunbooks.workflows.diagnosis.LogScan;
import io.pgrunbooks.workflows.slowqueries.ResolveSlowQueriesWorkflow;
import io.pgrunbooks.workflows.slowqueries.SlowQueryRequest;
import io.pgrunbooks.workflows.targets.TargetActivities;
import io.pgrunbooks.workflows.targets.TargetProfile;
import io.pgrunbooks.workflows.validation.ValidateRecoveryWorkflow;
import io.pgrunbooks.workflows.validation.ValidationReport;
import io.pgrunbooks.workflows.validation.ValidationRequest;
import io.pgrunbooks.workflows.watch.WatchAfterIncidentWorkflow;
import io.pgrunbooks.workflows.watch.WatchRequest;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runbook's order: assess (0-10 minutes), choose the scenario by the Quick Reference table,
 * diagnose, repair (a child with its own gates), validate, watch, report. A failed child is a
 * finding in the report, never a lost run: the report is what the people after the incident need.
 */
public class RespondToDatabaseFailureWorkflowImpl implements RespondToDatabaseFailureWorkflow {
  /** Scenarios run per response at most: the assessment's and two a person chose after it. */
  static final int MAX_SCENARIOS = 3;

  /** getVersion change id: the assessment's severity upserted as RunbookSeverity on this run. */
  static final String SEVERITY_ATTRIBUTE = "severity-search-attribute";

  private final TargetActivities targets = Workflow.newActivityStub(TargetActivities.class, ResponseTimeouts.QUICK);
  private final IncidentReportActivities reports = Workflow.newActivityStub(IncidentReportActivities.class, ResponseTimeouts.QUICK);

  private final Map<String, String> children = new LinkedHashMap<>();
  private final List<String> steering = new ArrayList<>();
  private final List<ScenarioResult> results = new ArrayList<>();
  private final List<String> ranScenarios = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final List<String> rootCause = new ArrayList<>();
  private final List<AlertNotice> alertNotices = new ArrayList<>();
  private String phase = "assess";
  private Scenario scenario;
  private String chosenBy;
  private ScenarioChoice pendingChoice;
  private ScenarioChoice stopRequest;
  private boolean scenarioStarted;
  private IncidentRequest request;

  @Override
  public void chooseScenario(ScenarioChoice choice) {
    steering.add(choice.person() + " chose " + choice.scenario().workflowType() + note(choice));
    pendingChoice = choice;
  }

  @Override
  public void stopAfterDiagnosis(ScenarioChoice stop) {
    steering.add(stop.person() + " asked to stop after the diagnosis" + note(stop)
        + (scenarioStarted ? " (too late: the scenario had started; reject its gate to stop it)" : ""));
    if (!scenarioStarted) {
      stopRequest = stop;
    }
  }

  @Override
  public void alertNotified(AlertNotice notice) {
    alertNotices.add(notice);
  }

  @Override
  public List<AlertNotice> alertNotices() {
    return List.copyOf(alertNotices);
  }

  @Override
  public ResponseState state() {
    return new ResponseState(phase, scenario == null ? null : scenario.workflowType(), chosenBy, Map.copyOf(children), List.copyOf(steering));
  }

  @Override
  public IncidentReport respond(IncidentRequest request) {
    this.request = request;
    long started = Workflow.currentTimeMillis();
    String incidentStart = request.detectedAt() != null ? request.detectedAt() : Instant.ofEpochMilli(started).toString();
    TargetProfile profile = targets.describeTarget(request.target());

    // 1. Immediate Assessment (0-10 minutes).
    enter("assess", "Assessing " + request.target() + " (Immediate Assessment)");
    HealthAssessment assessment = assess();

    // 2. Quick Reference: severity, response time and the scenario the findings point to.
    scenario = request.scenario() != null ? request.scenario() : assessment == null ? Scenario.NONE : assessment.scenario();
    chosenBy = request.scenario() != null ? "request (" + request.requestedBy() + ")" : "assessment";

    // 3. Detailed Diagnosis.
    enter("diagnose", "Diagnosing " + request.target() + "; the scenario so far: " + scenario.workflowType());
    diagnose();

    // 4. Common Resolution Scenarios: the chosen one as a child run with its own gates.
    String outcome;
    if (request.stopAfterDiagnosis() || stopRequest != null) {
      String by = stopRequest != null ? stopRequest.person() : request.requestedBy();
      outcome = "STOPPED";
      steering.add("stopped after the diagnosis at the request of " + by);
    } else {
      outcome = repair();
    }

    // 5. Monitoring and Validation: Post-Recovery Health Checks.
    enter("validate", "Validating " + request.target() + " (Post-Recovery Health Checks)");
    ValidationReport validation = validate();
    long resolvedAt = Workflow.currentTimeMillis();

    // 6. Ongoing Monitoring Setup: the post-incident rules, removed by the watch's own timer.
    if (!request.dryRun() && request.watchHoursOrDefault() > 0 && !"STOPPED".equals(outcome)) {
      enter("watch", "Starting the post-incident watch for " + request.watchHoursOrDefault() + " h");
      startWatch();
    }

    // 7. Incident Documentation Template.
    enter("report", "Writing the incident report");
    IncidentReport report = report(assessment, profile, validation, outcome, incidentStart, started, resolvedAt);
    try {
      report = report.storedAt(reports.storeIncidentReport(Workflow.getInfo().getWorkflowId(), report.markdown()));
    } catch (TemporalFailure e) {
      errors.add("the report could not be stored: " + FailureMessages.rootMessage(e));
    }
    enter("done", (report.resolved() ? "Resolved: " : "Not resolved: ") + report.outcome() + "; the report is in the result");
    return report;
  }

  private HealthAssessment assess() {
    AssessDatabaseHealthWorkflow child = Workflow.newChildWorkflowStub(AssessDatabaseHealthWorkflow.class, childOptions("assessment", AssessDatabaseHealthWorkflow.TYPE));
    try {
      HealthAssessment assessment = child.assess(new AssessmentRequest(request.target(), request.requestedBy()));
      // The incident's severity, so that "RunbookSeverity = 'SEV-1'" lists the runs that need people
      // first; runs recorded before it upserted nothing here.
      if (Workflow.getVersion(SEVERITY_ATTRIBUTE, Workflow.DEFAULT_VERSION, 1) == 1 && assessment.severity() != null) {
        Workflow.upsertTypedSearchAttributes(RunbookSearchAttributes.SEVERITY.valueSet(assessment.severity().label()));
      }
      rootCause.addAll(assessment.reasons());
      collectErrors(assessment);
      return assessment;
    } catch (TemporalFailure e) {
      errors.add("assessment failed: " + FailureMessages.rootMessage(e));
      return null;
    }
  }

  private void diagnose() {
    DiagnoseDatabaseWorkflow child = Workflow.newChildWorkflowStub(DiagnoseDatabaseWorkflow.class, childOptions("diagnosis", DiagnoseDatabaseWorkflow.TYPE));
    try {
      DiagnosisReport diagnosis = child.diagnose(new DiagnosisRequest(request.target(), request.requestedBy()));
      rootCause.addAll(diagnosis.findings());
      for (LogScan log : java.util.Arrays.asList(diagnosis.previousLog(), diagnosis.log())) {
        if (log != null) {
          errors.addAll(log.matches().subList(Math.max(0, log.matches().size() - 10), log.matches().size()));
        }
      }
    } catch (TemporalFailure e) {
      errors.add("diagnosis failed: " + FailureMessages.rootMessage(e));
    }
  }

  /** Runs the chosen scenario, then any a person chose while it ran; the last one's outcome. */
  private String repair() {
    String outcome = "NOTHING_TO_DO";
    takeChoice();
    while (ranScenarios.size() < MAX_SCENARIOS) {
      if (scenario == Scenario.NONE) {
        rootCause.add("the assessment found nothing that a repair scenario addresses");
        return outcome;
      }
      scenarioStarted = true;
      String role = scenario.workflowType();
      enter("scenario", "Running " + role + " as " + childId(role) + "; approve or reject its gates there"
          + " (GET /api/approvals/" + childId(role) + ")");
      ranScenarios.add(role);
      try {
        ScenarioResult result = runScenario(scenario, childOptions(role, role));
        results.add(result);
        outcome = result.outcome();
      } catch (TemporalFailure e) {
        outcome = "FAILED";
        errors.add(role + " failed: " + FailureMessages.rootMessage(e));
      }
      if (!takeChoice()) {
        return outcome;
      }
    }
    return outcome;
  }

  /** Applies a person's choice received since the last one; whether there was one. */
  private boolean takeChoice() {
    if (pendingChoice == null) {
      return false;
    }
    scenario = pendingChoice.scenario();
    chosenBy = pendingChoice.person();
    pendingChoice = null;
    return true;
  }

  /** The scenario's workflow as a child; each reads its own defaults from the target. */
  private ScenarioResult runScenario(Scenario which, ChildWorkflowOptions options) {
    String target = request.target();
    boolean dryRun = request.dryRun();
    String by = request.requestedBy();
    return switch (which) {
      case RELIEVE_CONNECTION_EXHAUSTION -> Workflow.newChildWorkflowStub(RelieveConnectionExhaustionWorkflow.class, options)
          .relieve(new ConnectionRequest(target, null, null, dryRun, by));
      case RECOVER_CRASHED_POD -> Workflow.newChildWorkflowStub(RecoverCrashedPodWorkflow.class, options)
          .recover(new CrashRecoveryRequest(target, null, null, dryRun, by));
      case REPAIR_REPLICATION_LAG -> Workflow.newChildWorkflowStub(RepairReplicationLagWorkflow.class, options)
          .repair(new ReplicationRequest(target, null, null, null, null, dryRun, by));
      case RESOLVE_SLOW_QUERIES -> Workflow.newChildWorkflowStub(ResolveSlowQueriesWorkflow.class, options)
          .resolve(new SlowQueryRequest(target, null, null, dryRun, by));
      case RECLAIM_DISK_SPACE -> Workflow.newChildWorkflowStub(ReclaimDiskSpaceWorkflow.class, options)
          .reclaim(new DiskRequest(target, null, null, null, null, dryRun, by));
      case NONE -> throw new IllegalStateException("no scenario to run");
    };
  }

  private ValidationReport validate() {
    ValidateRecoveryWorkflow child = Workflow.newChildWorkflowStub(ValidateRecoveryWorkflow.class, childOptions("validation", ValidateRecoveryWorkflow.TYPE));
    try {
      return child.validate(new ValidationRequest(request.target(), request.requestedBy()));
    } catch (TemporalFailure e) {
      errors.add("validation failed: " + FailureMessages.rootMessage(e));
      return null;
    }
  }

  /** The watch outlives this run (ABANDON): its timer removes the rules hours after the report. */
  private void startWatch() {
    ChildWorkflowOptions options = ChildWorkflowOptions.newBuilder(childOptions("watch", WatchAfterIncidentWorkflow.TYPE))
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
        .build();
    WatchAfterIncidentWorkflow child = Workflow.newChildWorkflowStub(WatchAfterIncidentWorkflow.class, options);
    String incident = Workflow.getInfo().getWorkflowId().replaceAll("[^a-z0-9-]", "-");
    incident = incident.substring(Math.max(0, incident.length() - 31)).replaceAll("^-+", "");
    Async.function(child::watch, new WatchRequest(request.target(), request.watchHoursOrDefault(), incident, request.requestedBy()));
    try {
      Workflow.getWorkflowExecution(child).get();
    } catch (TemporalFailure e) {
      errors.add("the post-incident watch could not start: " + FailureMessages.rootMessage(e));
      children.remove("watch");
    }
  }

  private IncidentReport report(HealthAssessment assessment, TargetProfile profile, ValidationReport validation, String outcome,
      String incidentStart, long started, long resolvedAt) {
    List<String> actions = new ArrayList<>();
    List<io.pgrunbooks.workflows.approval.GateOutcome> approvals = new ArrayList<>();
    String dataLoss = "no: nothing was restored or rolled back";
    for (ScenarioResult r : results) {
      actions.addAll(r.actions());
      approvals.addAll(r.decisions());
      rootCause.addAll(r.findings());
      errors.addAll(r.errorsSeen());
      if (!r.dataLoss().startsWith("no")) {
        dataLoss = r.dataLoss();
      }
    }
    boolean resolved = validation != null && validation.healthy() && !"FAILED".equals(outcome) && !"REJECTED".equals(outcome);
    List<String> problems = validation == null ? List.of("the validation did not run") : validation.problems();
    long startMillis = Instant.parse(incidentStart).toEpochMilli();
    IncidentReport report = new IncidentReport(
        request.target(), incidentStart,
        request.detection() != null ? request.detection() : "manual request by " + request.requestedBy(),
        assessment == null ? "unknown (the assessment failed)" : assessment.severity().label(),
        assessment == null ? "< 15 min" : assessment.responseTime(),
        ranScenarios.isEmpty() ? (scenario == null ? "none" : scenario.workflowType() + " (not run)") : String.join(", then ", ranScenarios),
        chosenBy, List.copyOf(rootCause), outcome, actions, approvals, resolved,
        Instant.ofEpochMilli(resolvedAt).toString(), duration(Math.max(0, resolvedAt - Math.min(startMillis, started))),
        dataLoss, actions.isEmpty() ? "none" : String.join("; ", actions),
        profile.databases(), profile.applicationDeployments(), bounded(errors), problems,
        followUps(outcome, resolved, problems), Map.copyOf(children), null, null, List.copyOf(alertNotices));
    return withMarkdown(report);
  }

  private static IncidentReport withMarkdown(IncidentReport r) {
    return new IncidentReport(r.target(), r.incidentStart(), r.detection(), r.severity(), r.responseTime(), r.scenario(),
        r.scenarioChosenBy(), r.rootCause(), r.outcome(), r.actions(), r.approvals(), r.resolved(), r.resolvedAt(),
        r.resolutionTime(), r.dataLoss(), r.recoveryMethod(), r.affectedDatabases(), r.affectedServices(), r.errorMessages(),
        r.validationProblems(), r.followUps(), r.children(), IncidentMarkdown.of(r), null, r.alertNotices());
  }

  private List<String> followUps(String outcome, boolean resolved, List<String> problems) {
    List<String> next = new ArrayList<>();
    if (!resolved) {
      next.add("Resolve what is still wrong: " + (problems.isEmpty() ? outcome : String.join("; ", problems)));
    }
    next.add("Update monitoring thresholds (the post-incident watch's rules show what fired)");
    next.add("Review backup/recovery procedures");
    next.add("Implement additional safeguards");
    next.add("Update runbook based on lessons learned");
    return next;
  }

  private void collectErrors(HealthAssessment assessment) {
    if (assessment.findings() == null) {
      return;
    }
    if (assessment.findings().readiness() != null && !assessment.findings().readiness().accepting()) {
      errors.add(assessment.findings().readiness().detail());
    }
    if (assessment.findings().applicationLogs() != null) {
      for (LogFinding logs : assessment.findings().applicationLogs()) {
        logs.matches().forEach(m -> errors.add(logs.deployment() + ": " + m));
      }
    }
  }

  /** At most 20 messages of at most 300 characters: the report is for people. */
  private static List<String> bounded(List<String> messages) {
    return messages.stream().distinct().limit(20).map(m -> m.length() > 300 ? m.substring(0, 300) + "..." : m).toList();
  }

  private static String duration(long millis) {
    Duration d = Duration.ofMillis(millis);
    return (d.toHours() > 0 ? d.toHours() + " h " : "") + d.toMinutesPart() + " min " + d.toSecondsPart() + " s";
  }

  /**
   * A child as the API would start it: its id under this run's, and the search attributes that the
   * Web UI filters on and the API's four-eyes check reads (the requester may not approve its gates).
   */
  private ChildWorkflowOptions childOptions(String role, String workflowType) {
    children.put(role, childId(role));
    return ChildRuns.options(childId(role), workflowType, request.target(), request.requestedBy());
  }


  private static String childId(String role) {
    return Workflow.getInfo().getWorkflowId() + "/" + role;
  }

  private void enter(String phase, String details) {
    this.phase = phase;
    RunProgress.enter(phase, details);
  }

  private static String note(ScenarioChoice choice) {
    return choice.comment() == null || choice.comment().isBlank() ? "" : ": " + choice.comment();
  }
}
