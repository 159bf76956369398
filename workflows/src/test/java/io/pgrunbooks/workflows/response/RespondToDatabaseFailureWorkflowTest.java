package io.pgrunbooks.workflows.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.pgrunbooks.workflows.alerts.AlertNotice;
import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.TestApprovals;
import io.pgrunbooks.workflows.assessment.AssessDatabaseHealthWorkflow;
import io.pgrunbooks.workflows.assessment.AssessmentRequest;
import io.pgrunbooks.workflows.assessment.CheckReport;
import io.pgrunbooks.workflows.assessment.HealthAssessment;
import io.pgrunbooks.workflows.assessment.Scenario;
import io.pgrunbooks.workflows.assessment.Severity;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.connections.ConnectionRequest;
import io.pgrunbooks.workflows.connections.RelieveConnectionExhaustionWorkflow;
import io.pgrunbooks.workflows.connections.RelieveResult;
import io.pgrunbooks.workflows.connections.RelieveStatus;
import io.pgrunbooks.workflows.connections.Termination;
import io.pgrunbooks.workflows.diagnosis.DiagnoseDatabaseWorkflow;
import io.pgrunbooks.workflows.diagnosis.DiagnosisReport;
import io.pgrunbooks.workflows.diagnosis.DiagnosisRequest;
import io.pgrunbooks.workflows.disk.DiskRequest;
import io.pgrunbooks.workflows.disk.ReclaimDiskSpaceWorkflow;
import io.pgrunbooks.workflows.disk.ReclaimResult;
import io.pgrunbooks.workflows.disk.ReclaimStatus;
import io.pgrunbooks.workflows.targets.AssessmentThresholds;
import io.pgrunbooks.workflows.targets.Hosting;
import io.pgrunbooks.workflows.targets.TargetActivities;
import io.pgrunbooks.workflows.targets.TargetProfile;
import io.pgrunbooks.workflows.validation.ValidateRecoveryWorkflow;
import io.pgrunbooks.workflows.validation.ValidationReport;
import io.pgrunbooks.workflows.validation.ValidationRequest;
import io.pgrunbooks.workflows.watch.WatchAfterIncidentWorkflow;
import io.pgrunbooks.workflows.watch.WatchRequest;
import io.pgrunbooks.workflows.watch.WatchResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The response's order and its report, with the children replaced by stand-ins that answer as the
 * real ones would (each child's own behaviour has its own tests).
 */
class RespondToDatabaseFailureWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(RespondToDatabaseFailureWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  static final TargetProfile PROFILE = new TargetProfile(
      "link", Hosting.HOST, "/var/lib/postgresql/15/main", List.of("link_users", "link_chat"), List.of("api-gateway", "user-svc"),
      AssessmentThresholds.defaults());
  static final GateOutcome BOB = new GateOutcome("terminate-idle-backends", true, "bob", "pool leak, go", "2026-11-29T10:05:00Z");

  private final TargetActivities targets = mock(TargetActivities.class, withSettings().withoutAnnotations());
  private final IncidentReportActivities reports = mock(IncidentReportActivities.class, withSettings().withoutAnnotations());
  private final List<String> started = new CopyOnWriteArrayList<>();
  private final List<WatchRequest> watches = new CopyOnWriteArrayList<>();

  private RespondToDatabaseFailureWorkflow start(TestWorkflowEnvironment env, WorkflowClient client, Worker worker,
      Scenario assessed, boolean relieveFails, IncidentRequest request) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    when(targets.describeTarget("link")).thenReturn(PROFILE);
    when(reports.storeIncidentReport(eq("respond/link"), anyString())).thenReturn("pgrunbooks-artifacts/respond/link/incident-report.md");
    worker.registerActivitiesImplementations(TestApprovals.trustingNamespace(), targets, reports);
    worker.registerWorkflowImplementationFactory(AssessDatabaseHealthWorkflow.class, () -> new AssessDatabaseHealthWorkflow() {
      @Override
      public HealthAssessment assess(AssessmentRequest r) {
        started.add("assessment:" + r.requestedBy());
        return new HealthAssessment("link", r.requestedBy(), "2026-11-29T10:00:00Z", "2026-11-29T10:00:01Z",
            assessed == Scenario.RELIEVE_CONNECTION_EXHAUSTION ? Severity.SEV_2 : Severity.SEV_3, "< 30 min", assessed,
            List.of("connections at 95 % of max_connections"), List.of(), null);
      }

      @Override
      public List<CheckReport> checklist() {
        return List.of();
      }
    });
    worker.registerWorkflowImplementationFactory(DiagnoseDatabaseWorkflow.class, () -> r -> {
      started.add("diagnosis");
      Workflow.sleep(Duration.ofSeconds(30)); // the time a diagnosis takes, in which people may steer
      return new DiagnosisReport("link", Hosting.HOST, r.requestedBy(), null, null,
          List.of("13 idle sessions of api-gateway hold connections"), List.of(), List.of(), List.of(), null, null, List.of(),
          null, List.of(), List.of(), List.of(), null, List.of(), List.of());
    });
    worker.registerWorkflowImplementationFactory(RelieveConnectionExhaustionWorkflow.class, () -> new FakeRelieve(relieveFails, started));
    worker.registerWorkflowImplementationFactory(ReclaimDiskSpaceWorkflow.class, () -> new FakeReclaim(started));
    worker.registerWorkflowImplementationFactory(ValidateRecoveryWorkflow.class, () -> r -> {
      started.add("validation");
      return new ValidationReport("link", null, null, Map.of("idle", 3), List.of(), List.of(),
          relieveFails ? List.of("connections at 95 %") : List.of());
    });
    worker.registerWorkflowImplementationFactory(WatchAfterIncidentWorkflow.class, () -> new WatchAfterIncidentWorkflow() {
      @Override
      public WatchResult watch(WatchRequest r) {
        watches.add(r);
        Workflow.sleep(Duration.ofHours(r.hours()));
        return new WatchResult(null, null, null, "timer");
      }

      @Override
      public void stop(String person) {}
    });
    env.start();
    RespondToDatabaseFailureWorkflow wf = client.newWorkflowStub(RespondToDatabaseFailureWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("respond/link").setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(wf::respond, request);
    return wf;
  }

  private static IncidentRequest request() {
    return new IncidentRequest("link", null, false, "alert DatabaseConnectionSpike", "2026-11-29T09:58:00Z", null, false, "alice");
  }

  @Test
  void connectionExhaustionIsRelievedValidatedWatchedAndReported(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    RespondToDatabaseFailureWorkflow wf = start(env, client, worker, Scenario.RELIEVE_CONNECTION_EXHAUSTION, false, request());
    IncidentReport report = WorkflowStub.fromTyped(wf).getResult(IncidentReport.class);

    assertThat(started).containsExactly("assessment:alice", "diagnosis", "RelieveConnectionExhaustion:alice", "validation");
    assertThat(report.incidentStart()).isEqualTo("2026-11-29T09:58:00Z");
    assertThat(report.detection()).isEqualTo("alert DatabaseConnectionSpike");
    assertThat(report.severity()).isEqualTo("SEV-2");
    assertThat(WorkflowStub.fromTyped(wf).describe().getTypedSearchAttributes().get(RunbookSearchAttributes.SEVERITY))
        .as("the incident's severity, searchable on the response itself").isEqualTo("SEV-2");
    assertThat(report.scenario()).isEqualTo("RelieveConnectionExhaustion");
    assertThat(report.scenarioChosenBy()).isEqualTo("assessment");
    assertThat(report.rootCause()).containsSequence(
        "connections at 95 % of max_connections", "13 idle sessions of api-gateway hold connections");
    assertThat(report.outcome()).isEqualTo("DONE");
    assertThat(report.actions()).containsExactly("terminated idle session(s) [4711, 4712]");
    assertThat(report.approvals()).containsExactly(BOB);
    assertThat(report.resolved()).isTrue();
    assertThat(report.dataLoss()).startsWith("no");
    assertThat(report.affectedDatabases()).containsExactly("link_users", "link_chat");
    assertThat(report.affectedServices()).containsExactly("api-gateway", "user-svc");
    assertThat(report.children()).containsOnlyKeys("assessment", "diagnosis", "RelieveConnectionExhaustion", "validation", "watch")
        .containsEntry("RelieveConnectionExhaustion", "respond/link/RelieveConnectionExhaustion");
    assertThat(report.storedAt()).isEqualTo("pgrunbooks-artifacts/respond/link/incident-report.md");
    verify(reports).storeIncidentReport("respond/link", report.markdown());
    assertThat(watches).singleElement().satisfies(w -> {
      assertThat(w.hours()).as("the seed's 4 hours").isEqualTo(4);
      assertThat(w.target()).isEqualTo("link");
    });
    assertThat(report.markdown())
        .contains("- **Incident Start**: 2026-11-29T09:58:00Z")
        .contains("- **Detection Method**: alert DatabaseConnectionSpike")
        .contains("- **Resolution**: terminated idle session(s) [4711, 4712]")
        .contains("| terminate-idle-backends | approved | bob | 2026-11-29T10:05:00Z | pool leak, go |")
        .contains("- **Services Affected**: api-gateway, user-svc")
        .contains("- [ ] Update runbook based on lessons learned");
  }

  @Test
  void aPersonCanStopTheRunAfterTheDiagnosis(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    RespondToDatabaseFailureWorkflow wf = start(env, client, worker, Scenario.RELIEVE_CONNECTION_EXHAUSTION, false, request());
    wf.stopAfterDiagnosis(new ScenarioChoice(null, "carol", "we fix the pool config instead"));
    IncidentReport report = WorkflowStub.fromTyped(wf).getResult(IncidentReport.class);

    assertThat(report.outcome()).isEqualTo("STOPPED");
    assertThat(started).containsExactly("assessment:alice", "diagnosis", "validation");
    assertThat(report.actions()).isEmpty();
    assertThat(watches).as("nothing was repaired: no post-incident watch").isEmpty();
    assertThat(wf.state().steering()).contains("carol asked to stop after the diagnosis: we fix the pool config instead");
  }

  @Test
  void aScenarioChosenByAPersonReplacesTheAssessments(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    RespondToDatabaseFailureWorkflow wf = start(env, client, worker, Scenario.RELIEVE_CONNECTION_EXHAUSTION, false, request());
    wf.chooseScenario(new ScenarioChoice(Scenario.RECLAIM_DISK_SPACE, "carol", "the disk alert fired too"));
    IncidentReport report = WorkflowStub.fromTyped(wf).getResult(IncidentReport.class);

    assertThat(started).containsExactly("assessment:alice", "diagnosis", "ReclaimDiskSpace:alice", "validation");
    assertThat(report.scenario()).isEqualTo("ReclaimDiskSpace");
    assertThat(report.scenarioChosenBy()).isEqualTo("carol");
    assertThat(report.outcome()).isEqualTo("NOTHING_TO_DO");
    assertThat(report.rootCause()).contains("disk at 40 %");
  }

  @Test
  void aFailedScenarioIsReportedAndTheValidationStillRuns(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    RespondToDatabaseFailureWorkflow wf = start(env, client, worker, Scenario.RELIEVE_CONNECTION_EXHAUSTION, true, request());
    IncidentReport report = WorkflowStub.fromTyped(wf).getResult(IncidentReport.class);

    assertThat(started).endsWith("validation");
    assertThat(report.outcome()).isEqualTo("FAILED");
    assertThat(report.resolved()).isFalse();
    assertThat(report.errorMessages()).anySatisfy(e -> assertThat(e).startsWith("RelieveConnectionExhaustion failed: ")
        .contains("the server refused the termination"));
    assertThat(report.validationProblems()).containsExactly("connections at 95 %");
    assertThat(report.followUps().get(0)).startsWith("Resolve what is still wrong: connections at 95 %");
    assertThat(report.markdown()).contains("- **Resolution Time**: not resolved: connections at 95 %");
  }

  @Test
  void aDryRunPlansTheScenarioAndInstallsNoWatch(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    IncidentRequest dry = new IncidentRequest("link", null, false, null, null, null, true, "alice");
    RespondToDatabaseFailureWorkflow wf = start(env, client, worker, Scenario.RELIEVE_CONNECTION_EXHAUSTION, false, dry);
    IncidentReport report = WorkflowStub.fromTyped(wf).getResult(IncidentReport.class);

    assertThat(report.detection()).isEqualTo("manual request by alice");
    assertThat(report.outcome()).isEqualTo("PLANNED");
    assertThat(watches).isEmpty();
  }

  @Test
  void alertNotificationsReceivedDuringTheResponseAreInItsReport(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    RespondToDatabaseFailureWorkflow wf = start(env, client, worker, Scenario.RELIEVE_CONNECTION_EXHAUSTION, false, request());
    wf.alertNotified(notice("n1", "firing", null));
    wf.alertNotified(notice("n2", "resolved", "2026-11-29T10:01:00Z"));
    assertThat(wf.alertNotices()).extracting(AlertNotice::noticeId).containsExactly("n1", "n2");
    IncidentReport report = WorkflowStub.fromTyped(wf).getResult(IncidentReport.class);

    assertThat(report.outcome()).as("a resolve is recorded, it does not stop the response").isEqualTo("DONE");
    assertThat(report.alertNotices()).extracting(AlertNotice::status).containsExactly("firing", "resolved");
    assertThat(report.storedAt()).isNotNull();
    assertThat(report.markdown()).contains("### Alert notifications")
        .contains("- DatabaseConnectionSpike firing since 2026-11-29T09:58:00Z (fingerprint 77c0, received 2026-11-29T10:00:00Z)")
        .contains("- DatabaseConnectionSpike resolved at 2026-11-29T10:01:00Z");
  }

  private static AlertNotice notice(String id, String status, String endsAt) {
    return new AlertNotice(id, "DatabaseConnectionSpike", status, "77c0", "2026-11-29T09:58:00Z", endsAt, "link",
        "respond-to-database-failure", Map.of("alertname", "DatabaseConnectionSpike", "target", "link"), null, null,
        "2026-11-29T10:00:00Z");
  }

  /** Scenario 2 as its run ends: approved by bob and done, planned in a dry run, or failed. */
  public static class FakeRelieve extends Ungated implements RelieveConnectionExhaustionWorkflow {
    private final boolean fails;
    private final List<String> started;

    FakeRelieve(boolean fails, List<String> started) {
      this.fails = fails;
      this.started = started;
    }

    @Override
    public RelieveResult relieve(ConnectionRequest request) {
      started.add("RelieveConnectionExhaustion:" + request.requestedBy());
      if (fails) {
        throw ApplicationFailure.newNonRetryableFailure("the server refused the termination", "TerminationFailed");
      }
      if (request.dryRun()) {
        return new RelieveResult(RelieveStatus.PLANNED, "link", null, List.of("terminate 2"), List.of(), null, List.of(), null,
            List.of(), List.of(), null);
      }
      return new RelieveResult(RelieveStatus.DONE, "link", null, List.of(), List.of(BOB), new Termination(List.of(4711, 4712), List.of()),
          List.of(), null, List.of("after terminating 2 idle session(s): 5 of 20"), List.of(), null);
    }
  }

  /** Scenario 5 finding nothing to change. */
  public static class FakeReclaim extends Ungated implements ReclaimDiskSpaceWorkflow {
    private final List<String> started;

    FakeReclaim(List<String> started) {
      this.started = started;
    }

    @Override
    public ReclaimResult reclaim(DiskRequest r) {
      started.add("ReclaimDiskSpace:" + r.requestedBy());
      return new ReclaimResult(ReclaimStatus.NOTHING_TO_DO, "link", null, null, null, null, List.of(), List.of(), List.of(),
          List.of(), null, null, List.of(), List.of(), List.of("disk at 40 %"), null);
    }
  }

  /** A stand-in scenario opens no gate: its approval signals have nothing to do. */
  public abstract static class Ungated implements io.pgrunbooks.workflows.approval.ApprovalSignals {
    @Override
    public void approve(ApprovalDecision decision) {}

    @Override
    public void reject(ApprovalDecision decision) {}

    @Override
    public List<GateView> approvals() {
      return List.of();
    }
  }
}
