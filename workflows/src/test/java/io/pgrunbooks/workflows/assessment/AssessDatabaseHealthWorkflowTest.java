package io.pgrunbooks.workflows.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyDouble;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.targets.Hosting;
import io.pgrunbooks.workflows.targets.TargetActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AssessDatabaseHealthWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(AssessDatabaseHealthWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private final TargetActivities targets =
      mock(TargetActivities.class, withSettings().withoutAnnotations());
  private final AssessmentActivities checks =
      mock(AssessmentActivities.class, withSettings().withoutAnnotations());
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void healthyCluster(TestWorkflowEnvironment env, Worker worker) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    Findings h = Fixtures.healthy();
    when(targets.describeTarget("link")).thenReturn(Fixtures.profile(Hosting.KUBERNETES));
    when(checks.checkReadiness("link")).thenReturn(h.readiness());
    when(checks.checkServerIdentity("link")).thenReturn(h.server());
    when(checks.checkConnectionUsage("link")).thenReturn(h.connections());
    when(checks.findLongRunningQueries(anyString(), anyDouble())).thenReturn(h.longRunningQueries());
    when(checks.checkReplication("link")).thenReturn(h.replication());
    when(checks.checkDiskUsage("link")).thenReturn(h.storage());
    when(checks.checkMemoryUsage("link")).thenReturn(h.resources());
    when(checks.checkDatabasePods("link")).thenReturn(h.pods());
    when(checks.checkPersistentVolumes("link")).thenReturn(h.volumes());
    when(checks.scanApplicationLogs("link")).thenReturn(h.applicationLogs());
    worker.registerActivitiesImplementations(targets, checks);
    env.start();
  }

  @AfterEach
  void unblock(TestWorkflowEnvironment env) {
    release.countDown();
  }

  private static HealthAssessment run(WorkflowClient client, Worker worker) {
    AssessDatabaseHealthWorkflow wf =
        client.newWorkflowStub(
            AssessDatabaseHealthWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());
    return wf.assess(new AssessmentRequest("link", "alice"));
  }

  private static Map<String, CheckReport> byName(HealthAssessment a) {
    return a.checks().stream().collect(Collectors.toMap(CheckReport::check, Function.identity()));
  }

  @Test
  void healthyClusterHasEveryCheckOkAndNoSeverity(WorkflowClient client, Worker worker) {
    HealthAssessment a = run(client, worker);
    assertThat(a.severity()).isEqualTo(Severity.NONE);
    assertThat(a.scenario()).isEqualTo(Scenario.NONE);
    assertThat(a.requestedBy()).isEqualTo("alice");
    assertThat(a.checks()).hasSize(10).allSatisfy(c -> assertThat(c.status()).as(c.check()).isEqualTo(CheckStatus.OK));
    assertThat(a.findings().connections().percentUsed()).isEqualTo(10.0);
  }

  @Test
  void aCheckThatTimesOutIsReportedAndTheRunStillCompletes(WorkflowClient client, Worker worker) {
    when(checks.checkDiskUsage("link"))
        .thenAnswer(
            inv -> {
              release.await(60, TimeUnit.SECONDS); // far past its 10 s start-to-close timeout
              return Fixtures.disk(10);
            });
    HealthAssessment a = run(client, worker);
    CheckReport disk = byName(a).get("disk usage");
    assertThat(disk.status()).isEqualTo(CheckStatus.TIMED_OUT);
    assertThat(disk.summary()).contains("start-to-close");
    assertThat(a.findings().storage()).isNull();
    assertThat(a.severity()).isEqualTo(Severity.NONE);
    assertThat(byName(a).get("connection usage").status()).isEqualTo(CheckStatus.OK);
  }

  @Test
  void aDatabaseThatIsDownIsASev1FindingNotAFailedRun(WorkflowClient client, Worker worker) {
    when(checks.checkReadiness("link"))
        .thenReturn(new Readiness(ReadinessState.NO_RESPONSE, "127.0.0.1:5432", "Connection refused", "08001", 1));
    HealthAssessment a = run(client, worker);
    assertThat(a.severity()).isEqualTo(Severity.SEV_1);
    assertThat(a.scenario()).isEqualTo(Scenario.RECOVER_CRASHED_POD);
    Map<String, CheckReport> checklist = byName(a);
    assertThat(checklist.get("readiness (pg_isready)").status()).isEqualTo(CheckStatus.CRITICAL);
    assertThat(checklist.get("connection usage").status()).isEqualTo(CheckStatus.SKIPPED);
    assertThat(checklist.get("version and time").status()).isEqualTo(CheckStatus.SKIPPED);
    // Hosting checks still run: they explain the outage.
    assertThat(checklist.get("disk usage").status()).isEqualTo(CheckStatus.OK);
    assertThat(checklist.get("database pods").status()).isEqualTo(CheckStatus.OK);
    verify(checks, never()).checkConnectionUsage(anyString());
  }

  @Test
  void aReadinessProbeThatNeverAnswersCountsAsNoResponse(WorkflowClient client, Worker worker) {
    when(checks.checkReadiness("link"))
        .thenAnswer(
            inv -> {
              release.await(60, TimeUnit.SECONDS);
              return Fixtures.accepting();
            });
    HealthAssessment a = run(client, worker);
    assertThat(a.findings().readiness().state()).isEqualTo(ReadinessState.NO_RESPONSE);
    assertThat(a.severity()).isEqualTo(Severity.SEV_1);
  }

  @Test
  void checksThatDoNotApplyToTheHostingAreReportedAsSuch(WorkflowClient client, Worker worker) {
    when(checks.checkDatabasePods("link"))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("host hosting has no pods", AssessmentFailures.NOT_APPLICABLE));
    HealthAssessment a = run(client, worker);
    CheckReport pods = byName(a).get("database pods");
    assertThat(pods.status()).isEqualTo(CheckStatus.NOT_APPLICABLE);
    assertThat(pods.summary()).isEqualTo("host hosting has no pods");
    assertThat(a.severity()).isEqualTo(Severity.NONE);
  }

  @Test
  void aHostTargetIsNotAskedForPodsVolumesOrDeployments(WorkflowClient client, Worker worker) {
    when(targets.describeTarget("link")).thenReturn(Fixtures.profile(Hosting.HOST));
    HealthAssessment a = run(client, worker);
    for (String check : List.of("database pods", "persistent volumes", "application logs")) {
      assertThat(byName(a).get(check).status()).as(check).isEqualTo(CheckStatus.NOT_APPLICABLE);
      assertThat(byName(a).get(check).summary()).startsWith("host hosting has no pods, volumes or deployments");
    }
    verify(checks, never()).checkDatabasePods(anyString());
    verify(checks, never()).checkPersistentVolumes(anyString());
    verify(checks, never()).scanApplicationLogs(anyString());
    assertThat(a.severity()).isEqualTo(Severity.NONE);
  }

  @Test
  void aFailingCheckIsReportedWithItsMessage(WorkflowClient client, Worker worker) {
    when(checks.checkConnectionUsage("link"))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("permission denied for pg_stat_activity", "SqlError"));
    HealthAssessment a = run(client, worker);
    CheckReport c = byName(a).get("connection usage");
    assertThat(c.status()).isEqualTo(CheckStatus.FAILED);
    assertThat(c.summary()).contains("permission denied");
  }

  @Test
  void connectionExhaustionEndsAsSev2WithItsSearchAttribute(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    when(checks.checkConnectionUsage("link")).thenReturn(Fixtures.connections(95, 100));
    AssessDatabaseHealthWorkflow wf =
        client.newWorkflowStub(
            AssessDatabaseHealthWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("assess-sev2").build());
    HealthAssessment a = wf.assess(new AssessmentRequest("link", "alice"));
    assertThat(a.severity()).isEqualTo(Severity.SEV_2);
    var upserts =
        env.getWorkflowClient()
            .fetchHistory("assess-sev2")
            .getEvents()
            .stream()
            .filter(e -> e.hasUpsertWorkflowSearchAttributesEventAttributes())
            .map(e -> e.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes().getIndexedFieldsMap())
            .filter(m -> m.containsKey(RunbookSearchAttributes.SEVERITY.getName()))
            .toList();
    assertThat(upserts).singleElement().satisfies(m -> assertThat(m.get(RunbookSearchAttributes.SEVERITY.getName()).getData().toStringUtf8()).contains("SEV-2"));
  }

  @Test
  void anUnknownTargetFailsTheRunAtOnceWithTheKnownNames(WorkflowClient client, Worker worker) {
    when(targets.describeTarget("link"))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("unknown target 'link'; configured targets: [demo]", "UnknownTarget"));
    assertThatThrownBy(() -> run(client, worker))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .hasMessageContaining("configured targets: [demo]");
    verify(checks, never()).checkReadiness(anyString());
  }
}
