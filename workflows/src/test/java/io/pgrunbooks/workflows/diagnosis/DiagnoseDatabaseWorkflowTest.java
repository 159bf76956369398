package io.pgrunbooks.workflows.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.pgrunbooks.workflows.artifacts.ArtifactRef;
import io.pgrunbooks.workflows.artifacts.Excerpt;
import io.pgrunbooks.workflows.assessment.AssessmentFailures;
import io.pgrunbooks.workflows.assessment.CheckReport;
import io.pgrunbooks.workflows.assessment.CheckStatus;
import io.pgrunbooks.workflows.assessment.ReplicaLag;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.targets.AssessmentThresholds;
import io.pgrunbooks.workflows.targets.Hosting;
import io.pgrunbooks.workflows.targets.TargetActivities;
import io.pgrunbooks.workflows.targets.TargetProfile;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DiagnoseDatabaseWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(DiagnoseDatabaseWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  static final BlockedSession BLOCKED = new BlockedSession(
      123, "app", "billing", "update accounts set balance = 0 where id = 1", 40.2, "Lock:transactionid",
      456, "app", "reports", "idle in transaction", "update accounts set balance = 1 where id = 1");
  static final Excerpt SHORT_LOG = new Excerpt("ERROR: boom\n", 12, 1, true, null, null);

  private final DiagnosisActivities checks = mock(DiagnosisActivities.class, withSettings().withoutAnnotations());
  private final TargetActivities targets = mock(TargetActivities.class, withSettings().withoutAnnotations());

  private void start(TestWorkflowEnvironment env, Worker worker, Hosting hosting) {
    stub(hosting);
    register(env, worker, checks);
  }

  private void register(TestWorkflowEnvironment env, Worker worker, DiagnosisActivities activities) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    worker.registerActivitiesImplementations(activities, targets);
    env.start();
  }

  private void stub(Hosting hosting) {
    when(targets.describeTarget("link")).thenReturn(new TargetProfile(
        "link", hosting, hosting == Hosting.HOST ? "/var/lib/postgresql/15/main" : "namespace link-services",
        List.of("link_users"), List.of(), AssessmentThresholds.defaults()));
    when(checks.describeDatabasePods("link")).thenReturn(List.of(new PodDetails(
        "postgres-primary-0", "Running", "node-a", "2026-11-29T10:00:00Z", List.of("Ready=True"),
        List.of(new ContainerDetails("postgres", true, 2, "running", null, "OOMKilled", 137, "2026-11-29T11:00:00Z")))));
    when(checks.recentPodEvents("link")).thenReturn(List.of(
        new PodEvent("2026-11-29T11:00:01Z", "Warning", "BackOff", "postgres-primary-0", "Back-off restarting failed container", 3)));
    when(checks.scanDatabaseLog("link")).thenReturn(new LogScan("postgres-primary-0/postgres (current)", 1, List.of("ERROR: boom"), 1, SHORT_LOG));
    when(checks.scanPreviousDatabaseLog("link")).thenReturn(new LogScan("postgres-primary-0/postgres (previous)", 0, List.of(), 0,
        new Excerpt("", 0, 0, true, null, null)));
    when(checks.podResources("link")).thenReturn(List.of(new ContainerResources("postgres-primary-0", "postgres", Map.of(), Map.of())));
    when(checks.serverStatus("link")).thenReturn(new ServerStatus(true, 0, "pg_ctl: server is running (PID: 42)"));
    when(checks.connectionsByClient("link")).thenReturn(List.of(
        new ConnectionGroup("10.0.0.5", "app", "link_users", "idle", 15),
        new ConnectionGroup("10.0.0.6", "app", "link_users", "idle in transaction", 2)));
    when(checks.analyzeLocks("link")).thenReturn(List.of(BLOCKED));
    when(checks.replicationStatus("link")).thenReturn(List.of(
        new ReplicaLag("10.0.0.5", "replica-0", "catchup", "async", null, null, null)));
    when(checks.slowestStatements("link")).thenReturn(new StatementStatistics(
        true, List.of("postgres"), List.of("link_users"),
        List.of(new SlowStatement("link_users", "app", "select * from messages where body like $1", 7, 7000, 1000, 70)),
        new Excerpt("database,user,...\n", 18, 1, true, null, null)));
    when(checks.databaseSizes("link")).thenReturn(List.of(new DatabaseSize("link_users", 8L << 30, "8192 MB")));
    when(checks.tableStatistics("link")).thenReturn(List.of(
        new TableStatistics("link_users", "public", "messages", 12, 1_200_000, 0L, 0L, 10, 0, 0)));
  }

  private static DiagnosisReport diagnose(WorkflowClient client, Worker worker) {
    DiagnoseDatabaseWorkflow wf = client.newWorkflowStub(
        DiagnoseDatabaseWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());
    return wf.diagnose(new DiagnosisRequest("link", "alice"));
  }

  @Test
  void onKubernetesEverySectionIsReportedWithFindingsInPlainWords(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, Hosting.KUBERNETES);
    DiagnosisReport report = diagnose(client, worker);

    assertThat(report.checklist()).extracting(CheckReport::check).containsExactly(
        "pod status", "pod events", "database log", "previous container log", "resource requests and limits",
        "server status (pg_ctl)", "connections by client", "locks", "replication", "slowest statements",
        "database sizes", "table statistics");
    assertThat(status(report, "server status (pg_ctl)")).isEqualTo(CheckStatus.NOT_APPLICABLE);
    verify(checks, never()).serverStatus(any());
    assertThat(report.pods()).singleElement().satisfies(p -> assertThat(p.containers().get(0).restartCount()).isEqualTo(2));
    assertThat(report.locks()).containsExactly(BLOCKED);
    assertThat(report.findings())
        .as("most serious first: the replica that is not streaming")
        .first().isEqualTo("replica 10.0.0.5 (replica-0) is not streaming: its state is catchup");
    assertThat(report.findings()).contains(
        "pid 123 (app billing) blocked for 40 s by pid 456 (app reports, idle in transaction): it waits to run "
            + "update accounts set balance = 0 where id = 1; the blocker's statement: update accounts set balance = 1 where id = 1",
        "container postgres of pod postgres-primary-0 restarted 2 time(s), last ended OOMKilled (exit code 137) at 2026-11-29T11:00:00Z",
        "2 session(s) idle in transaction from 10.0.0.6 as app in link_users: they hold locks and snapshots while doing nothing",
        "pg_stat_statements is not installed in link_users: it is preloaded, so CREATE EXTENSION pg_stat_statements there "
            + "(statistics read through postgres)",
        "slowest statement by mean time: 1000.0 ms over 7 call(s) in link_users as app: select * from messages where body like $1",
        "table public.messages in link_users: 12 sequential scan(s) read 1200000 rows, 0 index scan(s): a missing index?",
        "1 ERROR/FATAL/PANIC line(s) in postgres-primary-0/postgres (current); newest: ERROR: boom",
        "container postgres of pod postgres-primary-0 has no resource requests or limits (BestEffort: the first evicted under memory pressure)");
    assertThat(report.findings()).anySatisfy(f -> assertThat(f).startsWith("event BackOff on postgres-primary-0 (3 time(s)"));
    assertThat(status(report, "replication")).isEqualTo(CheckStatus.CRITICAL);
    assertThat(report.finishedAt()).isNotNull();
  }

  @Test
  void theChecksRunInParallel(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    // The six SQL checks each wait until all six have started: one after another, they would fail.
    CountDownLatch allStarted = new CountDownLatch(6);
    Set<String> sql = Set.of("connectionsByClient", "analyzeLocks", "replicationStatus", "slowestStatements",
        "databaseSizes", "tableStatistics");
    stub(Hosting.HOST);
    DiagnosisActivities rendezvous = mock(DiagnosisActivities.class, withSettings().withoutAnnotations().defaultAnswer(inv -> {
      if (sql.contains(inv.getMethod().getName())) {
        allStarted.countDown();
        if (!allStarted.await(10, TimeUnit.SECONDS)) {
          throw ApplicationFailure.newNonRetryableFailure("ran alone: the checks are not parallel", "NotParallel");
        }
      }
      return inv.getMethod().invoke(checks, inv.getArguments());
    }));
    register(env, worker, rendezvous);
    DiagnosisReport report = diagnose(client, worker);

    assertThat(allStarted.getCount()).isZero();
    assertThat(report.checklist())
        .filteredOn(c -> List.of("connections by client", "locks", "replication", "slowest statements", "database sizes",
            "table statistics").contains(c.check()))
        .hasSize(6)
        .allSatisfy(c -> assertThat(c.status()).isNotIn(CheckStatus.FAILED, CheckStatus.TIMED_OUT));
  }

  @Test
  void aFailingSectionIsReportedAndTheRestStands(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, Hosting.HOST);
    when(checks.analyzeLocks("link")).thenThrow(ApplicationFailure.newNonRetryableFailure(
        "target link: ERROR: permission denied for function pg_blocking_pids (SQLSTATE 42501)", "SqlError"));
    DiagnosisReport report = diagnose(client, worker);

    assertThat(report.locks()).isNull();
    assertThat(line(report, "locks").status()).isEqualTo(CheckStatus.FAILED);
    assertThat(line(report, "locks").summary()).contains("permission denied for function pg_blocking_pids");
    assertThat(report.findings()).anySatisfy(f -> assertThat(f).startsWith("locks could not be checked: target link: ERROR: permission denied"));
    assertThat(report.connections()).hasSize(2);
    assertThat(report.sizes()).hasSize(1);
    assertThat(report.serverStatus().running()).isTrue();
  }

  @Test
  void onAHostThePodChecksDoNotApplyAndPgCtlStatusRuns(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, Hosting.HOST);
    when(checks.serverStatus("link")).thenReturn(new ServerStatus(false, 3, "pg_ctl: no server running"));
    DiagnosisReport report = diagnose(client, worker);

    for (String check : List.of("pod status", "pod events", "previous container log", "resource requests and limits")) {
      assertThat(status(report, check)).as(check).isEqualTo(CheckStatus.NOT_APPLICABLE);
    }
    assertThat(line(report, "pod status").summary()).isEqualTo("host hosting has no pods: PostgreSQL runs from /var/lib/postgresql/15/main");
    verify(checks, never()).describeDatabasePods(any());
    verify(checks, never()).recentPodEvents(any());
    verify(checks, never()).scanPreviousDatabaseLog(any());
    verify(checks, never()).podResources(any());
    assertThat(report.findings()).first().isEqualTo("the server is not running: pg_ctl status says pg_ctl: no server running");
    assertThat(report.hosting()).isEqualTo(Hosting.HOST);
  }

  @Test
  void aCheckThatDoesNotApplyIsNotAFailure(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, Hosting.KUBERNETES);
    when(checks.scanPreviousDatabaseLog("link")).thenThrow(ApplicationFailure.newNonRetryableFailure(
        "container postgres-primary-0/postgres has not restarted: there is no previous log", AssessmentFailures.NOT_APPLICABLE));
    DiagnosisReport report = diagnose(client, worker);

    assertThat(line(report, "previous container log").status()).isEqualTo(CheckStatus.NOT_APPLICABLE);
    assertThat(report.findings()).noneSatisfy(f -> assertThat(f).contains("previous container log"));
  }

  @Test
  void aBigLogKeepsItsExcerptAndArtifactInTheReport(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    ArtifactRef ref = new ArtifactRef("artifacts", "pgrunbooks-artifacts/diagnose/link/database.log", 90_000, "ab".repeat(32));
    Excerpt big = new Excerpt("first\n… 998 of 1000 lines (90000 bytes in all) left out …\nlast\n", 90_000, 1000, false, ref,
        "the whole of it is s3://bucket/pgrunbooks-artifacts/diagnose/link/database.log");
    start(env, worker, Hosting.HOST);
    when(checks.scanDatabaseLog("link")).thenReturn(new LogScan("/data/server.log", 1000, List.of("FATAL: x"), 1, big));
    DiagnosisReport report = diagnose(client, worker);

    assertThat(report.log().log().artifact()).isEqualTo(ref);
    assertThat(line(report, "database log").summary())
        .isEqualTo("/data/server.log: 1 of 1000 line(s) read match ERROR|FATAL|PANIC; the whole of it is "
            + "s3://bucket/pgrunbooks-artifacts/diagnose/link/database.log");
  }

  private static CheckReport line(DiagnosisReport report, String check) {
    return report.checklist().stream().filter(c -> c.check().equals(check)).findFirst().orElseThrow();
  }

  private static CheckStatus status(DiagnosisReport report, String check) {
    return line(report, check).status();
  }
}
