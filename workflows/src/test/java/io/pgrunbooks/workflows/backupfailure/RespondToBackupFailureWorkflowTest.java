package io.pgrunbooks.workflows.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.approval.EscalationNotice;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.assessment.AssessmentActivities;
import io.pgrunbooks.workflows.assessment.Readiness;
import io.pgrunbooks.workflows.assessment.ReadinessState;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.response.IncidentReportActivities;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

class RespondToBackupFailureWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(
              RespondToBackupFailureWorkflowImpl.class, FakeBackupChildren.Backup.class, FakeBackupChildren.Verify.class)
          .setDoNotStart(true)
          .build();

  static final ConnectivityCheck UP = new ConnectivityCheck(Hosting.HOST, "127.0.0.1:5432", true, true, true, "*", null);
  static final ConnectivityCheck STOPPED =
      new ConnectivityCheck(Hosting.HOST, "127.0.0.1:5432", false, false, false, null, "Connection refused");
  static final BackupRoleCheck ROLE_OK = new BackupRoleCheck("backup", true, true, true, null, List.of(), 15);
  static final BackupRoleCheck ROLE_MISSING = new BackupRoleCheck("backup", false, false, false, "role \"backup\" does not exist", List.of(), 15);
  static final KeyCheck KEY_OK = new KeyCheck("env:KEY", true, 32, "k1", true, null);
  static final StoreProbe STORE_OK = new StoreProbe("s3", "link-backups", true, true, true, true, null, null, "http://minio:9000", false);
  static final StoreProbe STORE_NO_BUCKET = new StoreProbe("s3", "link-backups", false, false, false, false, null,
      "HeadBucket failed: bucket link-backups does not exist (404 NoSuchBucket)", "http://minio:9000", true);
  static final BucketReplication NOT_REPLICATED = new BucketReplication("link", "s3", "link-backups",
      BucketReplication.Status.NOT_CONFIGURED, List.of(), "ReplicationConfigurationNotFoundError",
      "bucket link-backups has no replication configuration: backups live in one region only");

  private final BackupFailureActivities steps = mock(BackupFailureActivities.class, withSettings().withoutAnnotations());
  private final BackupAlertActivities alerts = mock(BackupAlertActivities.class, withSettings().withoutAnnotations());
  private final BackupStoreActivities storeChecks = mock(BackupStoreActivities.class, withSettings().withoutAnnotations());
  private final AssessmentActivities assessment = mock(AssessmentActivities.class, withSettings().withoutAnnotations());
  private final EscalationActivities escalation = mock(EscalationActivities.class, withSettings().withoutAnnotations());
  private final IncidentReportActivities reports = mock(IncidentReportActivities.class, withSettings().withoutAnnotations());

  @AfterEach
  void resetFakes() {
    FakeBackupChildren.backupTakes = Duration.ZERO;
  }

  private void start(TestWorkflowEnvironment env, Worker worker, BackupError... errors) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    when(alerts.readBackupAlert("link")).thenReturn(
        new BackupAlert("http://prometheus:9090", 3.0, "2026-11-28T01:00:00Z", 158400L, 86400, true, null));
    when(steps.readBackupJobStatus("link")).thenReturn(new BackupJobStatus(
        List.of(new BackupRun("temporal", "backup-1", "COMPLETED", "2026-11-29T01:00:00Z", errors.length == 0, List.of(errors))),
        null, List.of()));
    when(assessment.checkReadiness("link")).thenReturn(new Readiness(ReadinessState.ACCEPTING, "127.0.0.1:5432", null, null, 3));
    when(assessment.checkDiskUsage("link")).thenReturn(new StorageUsage("/var/lib/postgresql/data", 100, 40, 60, 40.0));
    when(steps.checkDatabaseConnectivity("link")).thenReturn(UP);
    when(steps.checkBackupRole("link")).thenReturn(ROLE_OK);
    when(steps.checkEncryptionKey("link")).thenReturn(KEY_OK);
    when(steps.probeObjectStore("link")).thenReturn(STORE_OK);
    when(steps.startStoppedDatabase("link")).thenReturn("pg_ctl start of the cluster at /data");
    when(steps.repairBackupRole("link")).thenReturn("created role backup; granted pg_read_all_data");
    when(steps.createBackupBucket("link")).thenReturn("created bucket link-backups in store s3 (endpoint http://minio:9000)");
    when(storeChecks.checkBucketReplication("link")).thenReturn(NOT_REPLICATED);
    when(reports.storeIncidentReport(anyString(), anyString())).thenReturn("s3://reports/r.md");
    worker.registerActivitiesImplementations(steps, storeChecks, alerts, assessment, escalation, reports);
    env.start();
  }

  private static RespondToBackupFailureWorkflow run(WorkflowClient client, Worker worker, Integer escalateAfter, boolean dryRun) {
    RespondToBackupFailureWorkflow wf = client.newWorkflowStub(RespondToBackupFailureWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("bf-1").build());
    WorkflowClient.start(wf::respond, new BackupFailureRequest("link", escalateAfter, dryRun, "alice"));
    return wf;
  }

  static GateView pending(TestWorkflowEnvironment env, RespondToBackupFailureWorkflow wf, String gateId) {
    env.sleep(Duration.ofSeconds(30));
    List<GateView> gates = wf.approvals();
    GateView gate = gates.get(gates.size() - 1);
    assertThat(gate.gateId()).isEqualTo(gateId);
    return gate;
  }

  static BackupFailureResult result(RespondToBackupFailureWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(BackupFailureResult.class);
  }

  /** Runs until {@code gateId} opens (nothing changed yet), checks what it says, approves it as bob; the result. */
  private BackupFailureResult approved(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker, String gateId, String description) {
    RespondToBackupFailureWorkflow wf = run(client, worker, null, false);
    GateView gate = pending(env, wf, gateId);
    assertThat(gate.description()).contains(description);
    verify(steps, never()).startStoppedDatabase(any());
    verify(steps, never()).repairBackupRole(any());
    verify(steps, never()).createBackupBucket(any());
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), null, null));
    return result(wf);
  }

  /** Runs until {@code gateId} opens, rejects it, and checks the run ended REJECTED with the reason. */
  private static BackupFailureResult rejected(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker, String gateId, String who, String why) {
    RespondToBackupFailureWorkflow wf = run(client, worker, null, false);
    GateView gate = pending(env, wf, gateId);
    wf.reject(new ApprovalDecision(gate.gateId(), who, gate.digest(), why, null));
    BackupFailureResult r = result(wf);
    assertThat(r.status()).isEqualTo(BackupFailureStatus.REJECTED);
    assertThat(r.reason()).contains("rejected by " + who + ": " + why);
    return r;
  }

  @Test
  void aStoppedClusterIsStartedAfterApprovalThenBackedUpAndVerified(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, new BackupError("temporal:backup-1", "DatabaseUnreachable", "Connection to 127.0.0.1:5432 refused"));
    when(steps.checkDatabaseConnectivity("link")).thenReturn(STOPPED, UP);
    BackupFailureResult r = approved(env, client, worker, RespondToBackupFailureWorkflow.START_GATE, "pg_ctl start");
    assertThat(r.status()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.outcome()).isEqualTo("DONE");
    assertThat(r.classes()).containsExactly(FailureClass.CONNECTIVITY);
    assertThat(r.actions()).first().isEqualTo("pg_ctl start of the cluster at /data");
    assertThat(r.checks()).first().asString().contains("after starting the cluster").contains("SELECT 1 answered");
    assertThat(r.backupMetadataKey()).isEqualTo(FakeBackupChildren.METADATA);
    assertThat(r.backupChildId()).isEqualTo("bf-1-backup");
    assertThat(r.verified()).isTrue();
    assertThat(r.decisions()).extracting(d -> d.decidedBy()).containsExactly("bob");
    assertThat(r.report()).contains("**CONNECTIVITY**").contains("start-database: approved by bob").contains(FakeBackupChildren.METADATA + " (run bf-1-backup), verified");
    assertThat(r.reportUri()).isEqualTo("s3://reports/r.md");
    verify(steps, times(1)).startStoppedDatabase("link");
    verify(reports).storeIncidentReport("bf-1", r.report());
    verify(escalation, never()).escalate(any());
  }

  @Test
  void aRejectedStartEndsTheRunCleanlyWithTheReason(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, new BackupError("temporal:backup-1", "DatabaseUnreachable", "refused"));
    when(steps.checkDatabaseConnectivity("link")).thenReturn(STOPPED);
    BackupFailureResult r = rejected(env, client, worker, RespondToBackupFailureWorkflow.START_GATE, "bob", "maintenance window at 23:00");
    assertThat(r.backupChildId()).isNull();
    assertThat(r.report()).contains("rejected by bob");
    verify(steps, never()).startStoppedDatabase(any());
    verify(steps, never()).checkBackupRole(any());
  }

  @Test
  void aMissingBackupRoleIsRepairedAfterApproval(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, new BackupError("temporal:backup-1", "DatabaseAccessDenied", "FATAL: role \"backup\" does not exist (SQLSTATE 28000)"));
    when(steps.checkBackupRole("link")).thenReturn(ROLE_MISSING, ROLE_OK);
    RespondToBackupFailureWorkflow wf = run(client, worker, null, false);

    GateView gate = pending(env, wf, RespondToBackupFailureWorkflow.ROLE_GATE);
    assertThat(gate.description()).contains("CREATE ROLE backup LOGIN CREATEDB PASSWORD <from its configured password reference>")
        .contains("GRANT pg_read_all_data TO backup");
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), null, null));

    BackupFailureResult r = result(wf);
    assertThat(r.status()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.classes()).containsExactly(FailureClass.AUTHENTICATION);
    assertThat(r.actions()).contains("created role backup; granted pg_read_all_data");
    assertThat(r.checks()).first().asString().contains("role backup logs in and reads every table");
    verify(steps, never()).startStoppedDatabase(any());
  }

  @Test
  void aRejectedRoleRepairEndsTheRunWithTheReason(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker);
    when(steps.checkBackupRole("link")).thenReturn(ROLE_MISSING);
    rejected(env, client, worker, RespondToBackupFailureWorkflow.ROLE_GATE, "carol", "security must approve");
    verify(steps, never()).repairBackupRole(any());
  }

  @Test
  void aMissingKeyIsAFindingAndNoBackupIsAttempted(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, new BackupError("temporal:backup-1", "UnresolvableSecret",
        "secret reference 'env:KEY' cannot be resolved: environment variable KEY is not set; encryption key"));
    when(steps.checkEncryptionKey("link")).thenReturn(new KeyCheck("env:KEY", false, 0, null, false,
        "key reference env:KEY resolves to nothing: set it, or pgrunbooks.targets.link.backup.key-ref"));
    BackupFailureResult r = result(run(client, worker, null, false));
    assertThat(r.status()).isEqualTo(BackupFailureStatus.BLOCKED);
    assertThat(r.classes()).containsExactly(FailureClass.ENCRYPTION);
    assertThat(r.findings()).anySatisfy(f -> assertThat(f).contains("key-ref"));
    assertThat(r.backupChildId()).isNull();
    assertThat(r.decisions()).isEmpty();
  }

  @Test
  void aRefusedStoreNamesTheMissingPermission(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, new BackupError("temporal:backup-1", "StorageAccessDenied", "access denied (403 AccessDenied)"));
    when(steps.probeObjectStore("link")).thenReturn(
        new StoreProbe("s3", "link-backups", true, true, false, false, "s3:PutObject", "put refused (403 AccessDenied)",
            "http://minio:9000", false));
    BackupFailureResult r = result(run(client, worker, null, false));
    assertThat(r.status()).isEqualTo(BackupFailureStatus.BLOCKED);
    assertThat(r.classes()).containsExactly(FailureClass.S3);
    assertThat(r.reason()).contains("missing permission: s3:PutObject");
  }

  @Test
  void aMissingBucketIsCreatedAfterApprovalThenBackedUpAndVerified(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, new BackupError("temporal:backup-1", "StorageNotFound", "store s3 (s3://link-backups/): NoSuchBucket"));
    when(steps.probeObjectStore("link")).thenReturn(STORE_NO_BUCKET, STORE_OK);
    BackupFailureResult r = approved(env, client, worker, RespondToBackupFailureWorkflow.BUCKET_GATE,
        "create bucket link-backups in store s3 (endpoint http://minio:9000)");
    assertThat(r.status()).as(r.report()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.classes()).containsExactly(FailureClass.S3);
    assertThat(r.actions()).first().isEqualTo("created bucket link-backups in store s3 (endpoint http://minio:9000)");
    assertThat(r.checks()).first().asString().contains("after creating the bucket").contains("HeadBucket, list, put and delete all pass");
    assertThat(r.store().ok()).isTrue();
    assertThat(r.findings()).contains("backup redundancy (NOT_CONFIGURED): bucket link-backups has no replication configuration:"
        + " backups live in one region only");
    assertThat(r.report()).contains("create-bucket: approved by bob");
    verify(steps, times(1)).createBackupBucket("link");
    verify(steps, times(2)).probeObjectStore("link");
  }

  @Test
  void aRejectedBucketCreationEndsTheRunWithTheReason(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker);
    when(steps.probeObjectStore("link")).thenReturn(STORE_NO_BUCKET);
    BackupFailureResult r = rejected(env, client, worker, RespondToBackupFailureWorkflow.BUCKET_GATE, "carol", "wrong bucket name in the config");
    assertThat(r.backupChildId()).isNull();
    verify(steps, never()).createBackupBucket(any());
  }

  @Test
  void wrongStoreCredentialsAreAFindingWithoutAGate(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, new BackupError("temporal:backup-1", "StorageAccessDenied", "the store rejects the credentials (403 InvalidAccessKeyId)"));
    when(steps.probeObjectStore("link")).thenReturn(new StoreProbe("s3", "link-backups", false, false, false, false, null,
        "HeadBucket failed: the store rejects the credentials (403 SignatureDoesNotMatch)", "http://minio:9000", false));
    BackupFailureResult r = result(run(client, worker, null, false));
    assertThat(r.status()).isEqualTo(BackupFailureStatus.BLOCKED);
    assertThat(r.classes()).containsExactly(FailureClass.S3);
    assertThat(r.decisions()).isEmpty();
    assertThat(r.reason()).contains("HeadBucket failed: the store rejects the credentials");
    assertThat(r.findings()).anySatisfy(f -> assertThat(f).contains("HeadBucket failed").contains("pgrunbooks.stores.s3"));
    verify(steps, never()).createBackupBucket(any());
    verify(storeChecks, never()).checkBucketReplication(any());
  }

  @Test
  void anUnreadableReplicationIsAFindingNotAFailure(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker);
    when(storeChecks.checkBucketReplication("link")).thenThrow(
        io.temporal.failure.ApplicationFailure.newNonRetryableFailure("store s3: cannot reach the store", "StorageError"));
    BackupFailureResult r = result(run(client, worker, null, false));
    assertThat(r.status()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.findings()).anySatisfy(f -> assertThat(f).startsWith("bucket replication could not be read"));
  }

  @Test
  void aFullDiskAndAnUnknownErrorAreFindingsAndTheBackupStillRuns(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, new BackupError("kubernetes:postgres-backup-1", null, "No space left on device"),
        new BackupError("temporal:backup-1", "PgDumpMissing", "pg_dump 13 is older than the server"));
    when(assessment.checkDiskUsage("link")).thenReturn(new StorageUsage("/data", 100, 95, 5, 95.0));
    BackupFailureResult r = result(run(client, worker, null, false));
    assertThat(r.status()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.classes()).containsExactly(FailureClass.STORAGE, FailureClass.UNKNOWN);
    assertThat(r.findings()).anySatisfy(f -> assertThat(f).contains("95.0% used at /data").contains("ReclaimDiskSpace"))
        .anySatisfy(f -> assertThat(f).contains("matches none of the seed's patterns: pg_dump 13 is older than the server"));
  }

  @Test
  void escalatesAfterTwoHoursWithoutAVerifiedBackupAndTheRunGoesOn(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeBackupChildren.backupTakes = Duration.ofHours(3);
    start(env, worker, new BackupError("temporal:backup-1", "DatabaseUnreachable", "refused"));
    BackupFailureResult r = result(run(client, worker, null, false));

    assertThat(r.status()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.escalatedAt()).isNotNull();
    ArgumentCaptor<EscalationNotice> notice = ArgumentCaptor.forClass(EscalationNotice.class);
    verify(escalation, times(1)).escalate(notice.capture());
    assertThat(notice.getValue().gateId()).isEqualTo(RespondToBackupFailureWorkflow.ESCALATION);
    assertThat(notice.getValue().waitedSeconds()).isEqualTo(7200);
    assertThat(notice.getValue().description()).contains("after 120 minutes: RPO at risk")
        .contains("last good backup is from 2026-11-28T01:00:00Z");
    assertThat(r.report()).contains("Escalated at");
  }

  @Test
  void theEscalationDelayIsConfigurable(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeBackupChildren.backupTakes = Duration.ofMinutes(45);
    start(env, worker);
    BackupFailureResult r = result(run(client, worker, 30, false));
    assertThat(r.status()).isEqualTo(BackupFailureStatus.VERIFIED);
    ArgumentCaptor<EscalationNotice> notice = ArgumentCaptor.forClass(EscalationNotice.class);
    verify(escalation).escalate(notice.capture());
    assertThat(notice.getValue().waitedSeconds()).isEqualTo(1800);
  }

  @Test
  void noEscalationOnceVerified(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker);
    BackupFailureResult r = result(run(client, worker, null, false));
    assertThat(r.status()).isEqualTo(BackupFailureStatus.VERIFIED);
    env.sleep(Duration.ofHours(3));
    verify(escalation, never()).escalate(any());
    assertThat(r.escalatedAt()).isNull();
  }

  @Test
  void aDryRunPlansAndChangesNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker);
    when(steps.checkDatabaseConnectivity("link")).thenReturn(STOPPED);
    when(steps.probeObjectStore("link")).thenReturn(STORE_NO_BUCKET);
    BackupFailureResult r = result(run(client, worker, null, true));
    assertThat(r.status()).isEqualTo(BackupFailureStatus.PLANNED);
    assertThat(r.plan()).anySatisfy(p -> assertThat(p).contains("gate start-database"))
        .anySatisfy(p -> assertThat(p).contains("gate create-bucket: wait for approval; create bucket link-backups"));
    verify(steps, never()).createBackupBucket(any());
    assertThat(r.decisions()).isEmpty();
    assertThat(r.backupChildId()).isNull();
    verify(steps, never()).startStoppedDatabase(any());
    verify(reports, never()).storeIncidentReport(any(), any());
  }
}
