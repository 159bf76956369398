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

import io.pgrunbooks.workflows.alerts.AlertNotice;
import io.pgrunbooks.workflows.alerts.AlertSignals;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.approval.EscalationNotice;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.approval.TestApprovals;
import io.pgrunbooks.workflows.assessment.AssessmentActivities;
import io.pgrunbooks.workflows.assessment.Readiness;
import io.pgrunbooks.workflows.assessment.ReadinessState;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.disk.DataVolume;
import io.pgrunbooks.workflows.disk.DiskActivities;
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
  private final StorageSpaceActivities space = mock(StorageSpaceActivities.class, withSettings().withoutAnnotations());
  private final DiskActivities volumes = mock(DiskActivities.class, withSettings().withoutAnnotations());

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
    worker.registerActivitiesImplementations(TestApprovals.trustingNamespace(), steps, storeChecks, alerts, assessment, escalation, reports, space, volumes);
    env.start();
  }

  private static RespondToBackupFailureWorkflow run(WorkflowClient client, Worker worker, Integer escalateAfter, boolean dryRun) {
    return run(client, worker, new BackupFailureRequest("link", escalateAfter, dryRun, "alice"));
  }

  private static RespondToBackupFailureWorkflow run(WorkflowClient client, Worker worker, BackupFailureRequest request) {
    RespondToBackupFailureWorkflow wf = client.newWorkflowStub(RespondToBackupFailureWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("bf-1").build());
    WorkflowClient.start(wf::respond, request);
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
  void aFullDiskWithoutOldDumpsAndAnUnknownErrorAreFindingsAndTheBackupStillRuns(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, new BackupError("kubernetes:postgres-backup-1", null, "No space left on device"),
        new BackupError("temporal:backup-1", "PgDumpMissing", "pg_dump 13 is older than the server"));
    when(assessment.checkDiskUsage("link")).thenReturn(FULL);
    when(space.findOldDumpFiles("link")).thenReturn(new OldDumps(List.of("/data"), 7, "2026-11-22T00:00:00Z", List.of(), List.of()));
    BackupFailureResult r = result(run(client, worker, null, false));
    assertThat(r.status()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.classes()).containsExactly(FailureClass.STORAGE, FailureClass.UNKNOWN);
    assertThat(r.findings()).anySatisfy(f -> assertThat(f).contains("95.0% used (5 B free of 100 B) at /data").contains("ReclaimDiskSpace"))
        .anySatisfy(f -> assertThat(f).contains("no dump file older than 7 days in /data: nothing to clean"))
        .anySatisfy(f -> assertThat(f).contains("growing the disk is not done on HOST hosting").contains("resize2fs"))
        .anySatisfy(f -> assertThat(f).contains("matches none of the seed's patterns: pg_dump 13 is older than the server"));
    assertThat(r.decisions()).isEmpty();
    verify(space, never()).checkBackupPodStorage(any());
    verify(space, never()).deleteOldDumpFiles(any(), any());
    verify(volumes, never()).describeDataVolume(any(), any());
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

  // Scenario 3: storage issues.

  static final StorageUsage FULL = new StorageUsage("/data", 100, 95, 5, 95.0);
  static final StorageUsage CLEANED = new StorageUsage("/data", 100, 60, 40, 60.0);
  static final ConnectivityCheck UP_ON_KUBERNETES =
      new ConnectivityCheck(Hosting.KUBERNETES, "postgres-primary:5432", true, true, null, "*", null);
  static final OldDumps TWO_OLD_DUMPS = new OldDumps(List.of("/data"), 7, "2026-11-22T00:00:00Z", List.of(
      new DumpFile("/data", "link_users-2026-10-01.dump", 30, "2026-10-01T02:00:00Z"),
      new DumpFile("/data", "manual.sql.gz", 10, "2026-10-05T09:30:00Z")), List.of());
  static final DataVolume EXPANDABLE = new DataVolume(
      "link-services", "data-postgres-primary-0", "ssd", true, "100Gi", "100Gi", List.of(), null);

  private void onKubernetes() {
    when(steps.checkDatabaseConnectivity("link")).thenReturn(UP_ON_KUBERNETES);
    when(space.checkBackupPodStorage("link")).thenReturn(
        new BackupPodStorage("link-services", "postgres-backup-20261129", List.of("postgres-backup-20261129-x Succeeded"), List.of(), false, List.of()));
    when(space.findOldDumpFiles("link")).thenReturn(new OldDumps(List.of("/data"), 7, "2026-11-22T00:00:00Z", List.of(), List.of()));
  }

  @Test
  void storageThatIsFineRunsNoStorageStepAtAll(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker);
    BackupFailureResult r = result(run(client, worker, new BackupFailureRequest("link", null, false, "alice", "200Gi")));
    assertThat(r.status()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.classes()).doesNotContain(FailureClass.STORAGE);
    assertThat(r.storage()).isNull();
    verify(assessment, times(1)).checkDiskUsage("link");
    org.mockito.Mockito.verifyNoInteractions(space, volumes);
  }

  @Test
  void oldDumpsOnAFullDiskAreDeletedAsListedAfterApprovalAndTheDiskIsRechecked(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, new BackupError("temporal:backup-1", "PgDumpFailed", "could not write to file: No space left on device"));
    when(assessment.checkDiskUsage("link")).thenReturn(FULL, CLEANED);
    when(space.findOldDumpFiles("link")).thenReturn(TWO_OLD_DUMPS);
    when(space.deleteOldDumpFiles("link", TWO_OLD_DUMPS)).thenReturn(new DumpDeletion(
        List.of("/data/link_users-2026-10-01.dump"), 30, List.of("/data/manual.sql.gz"), List.of()));
    RespondToBackupFailureWorkflow wf = run(client, worker, null, false);

    GateView gate = pending(env, wf, RespondToBackupFailureWorkflow.CLEAN_DUMPS_GATE);
    assertThat(gate.description()).contains("delete 2 dump file(s), 40 B: /data/link_users-2026-10-01.dump (30 B, modified 2026-10-01T02:00:00Z),"
        + " /data/manual.sql.gz (10 B, modified 2026-10-05T09:30:00Z)").contains("more than 7 days ago").contains("nothing under pg_wal");
    verify(space, never()).deleteOldDumpFiles(any(), any());
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), null, null));

    BackupFailureResult r = result(wf);
    assertThat(r.status()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.classes()).containsExactly(FailureClass.STORAGE);
    verify(space, times(1)).deleteOldDumpFiles("link", TWO_OLD_DUMPS);
    assertThat(r.actions()).first().isEqualTo("deleted 1 old dump file(s) (30 B): /data/link_users-2026-10-01.dump; already gone: /data/manual.sql.gz");
    assertThat(r.checks()).first().isEqualTo("after deleting 1 old dump file(s): 95.0% -> 60.0% used (40 B free of 100 B) at /data, 35 B freed;"
        + " it helped, now under the 90.0% threshold");
    assertThat(r.storage().oldDumps()).isEqualTo(TWO_OLD_DUMPS);
    assertThat(r.storage().after()).isEqualTo(CLEANED);
    assertThat(r.report()).contains("clean-old-dumps: approved by bob");
    verify(volumes, never()).describeDataVolume(any(), any());
  }

  @Test
  void aRejectedDumpCleanupEndsTheRunAndDeletesNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker);
    when(assessment.checkDiskUsage("link")).thenReturn(FULL);
    when(space.findOldDumpFiles("link")).thenReturn(TWO_OLD_DUMPS);
    BackupFailureResult r = rejected(env, client, worker, RespondToBackupFailureWorkflow.CLEAN_DUMPS_GATE, "carol", "keep them for the audit");
    assertThat(r.classes()).contains(FailureClass.STORAGE);
    assertThat(r.backupChildId()).isNull();
    verify(space, never()).deleteOldDumpFiles(any(), any());
  }

  @Test
  void onKubernetesAFullDataVolumeIsGrownAfterApprovalWhereItsClassAllows(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker);
    onKubernetes();
    StorageUsage grown = new StorageUsage("/data", 200, 95, 105, 47.5);
    when(assessment.checkDiskUsage("link")).thenReturn(FULL, grown);
    when(volumes.describeDataVolume("link", "200Gi")).thenReturn(EXPANDABLE);
    when(volumes.expandDataVolume("link", "data-postgres-primary-0", "200Gi")).thenReturn(
        new DataVolume("link-services", "data-postgres-primary-0", "ssd", true, "200Gi", "200Gi", List.of(), null));
    RespondToBackupFailureWorkflow wf = run(client, worker, new BackupFailureRequest("link", null, false, "alice", "200Gi"));

    GateView gate = pending(env, wf, RespondToBackupFailureWorkflow.EXPAND_GATE);
    assertThat(gate.description()).startsWith("set spec.resources.requests.storage of PersistentVolumeClaim link-services/data-postgres-primary-0"
        + " from 100Gi to 200Gi (storage class ssd allows expansion); a volume cannot be shrunk again");
    verify(volumes, never()).expandDataVolume(any(), any(), any());
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), null, null));

    BackupFailureResult r = result(wf);
    assertThat(r.status()).isEqualTo(BackupFailureStatus.VERIFIED);
    verify(volumes, times(1)).expandDataVolume("link", "data-postgres-primary-0", "200Gi");
    assertThat(r.actions()).first().isEqualTo("set the storage request of claim link-services/data-postgres-primary-0 to 200Gi: capacity is now 200Gi");
    assertThat(r.checks()).first().asString().startsWith("after asking for 200Gi on claim data-postgres-primary-0: 95.0% -> 47.5% used")
        .contains("the file system grew to 200 B").contains("it helped, now under the 90.0% threshold");
    assertThat(r.findings()).anySatisfy(f -> assertThat(f).startsWith("backup pod storage: backup Job link-services/postgres-backup-20261129")
        .endsWith("no eviction or full disk seen"));
    assertThat(r.storage().expanded().requested()).isEqualTo("200Gi");
  }

  @Test
  void onKubernetesAClassWithoutExpansionIsAFindingAndNothingIsPatched(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker);
    onKubernetes();
    when(assessment.checkDiskUsage("link")).thenReturn(FULL);
    when(volumes.describeDataVolume("link", "200Gi")).thenReturn(new DataVolume("link-services", "data-postgres-primary-0", "standard",
        false, "100Gi", "100Gi", List.of(), "storage class standard of claim data-postgres-primary-0 does not allow volume expansion"));
    BackupFailureResult r = result(run(client, worker, new BackupFailureRequest("link", null, false, "alice", "200Gi")));
    assertThat(r.status()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.decisions()).isEmpty();
    assertThat(r.findings()).anySatisfy(f -> assertThat(f).isEqualTo(
        "the volume is not grown: storage class standard of claim data-postgres-primary-0 does not allow volume expansion"));
    verify(volumes, never()).expandDataVolume(any(), any(), any());
  }

  @Test
  void onKubernetesWithoutASizeTheRunSaysWhetherTheVolumeCouldGrow(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker);
    onKubernetes();
    when(assessment.checkDiskUsage("link")).thenReturn(FULL);
    when(volumes.describeDataVolume("link", null)).thenReturn(EXPANDABLE);
    BackupFailureResult r = result(run(client, worker, null, false));
    assertThat(r.decisions()).isEmpty();
    assertThat(r.findings()).anySatisfy(f -> assertThat(f).startsWith("the data volume can grow: storage class ssd of claim"
        + " link-services/data-postgres-primary-0").contains("run again with expandVolumeTo (larger than 100Gi)"));
    verify(volumes, never()).expandDataVolume(any(), any(), any());
  }

  @Test
  void anEvictedBackupPodIsStorageEvenWithRoomOnTheDataDisk(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker);
    when(steps.readBackupJobStatus("link")).thenReturn(new BackupJobStatus(List.of(new BackupRun("kubernetes", "postgres-backup-20261129",
        "Failed", "2026-11-29T01:00:00Z", false, List.of(new BackupError("kubernetes:postgres-backup-20261129", null,
        "job failed: [BackoffLimitExceeded Job has reached the specified backoff limit]")))), null, List.of()));
    onKubernetes();
    when(space.checkBackupPodStorage("link")).thenReturn(new BackupPodStorage("link-services", "postgres-backup-20261129",
        List.of("postgres-backup-20261129-x Failed Evicted: Pod ephemeral local storage usage exceeds the total limit of containers 1Gi."),
        List.of("backup=1Gi"), true,
        List.of("pod postgres-backup-20261129-x Evicted: Pod ephemeral local storage usage exceeds the total limit of containers 1Gi.")));
    BackupFailureResult r = result(run(client, worker, null, false));
    assertThat(r.status()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.classes()).containsExactly(FailureClass.UNKNOWN, FailureClass.STORAGE);
    assertThat(r.findings()).anySatisfy(f -> assertThat(f).contains("OUT OF SPACE").contains("ephemeral-storage limit backup=1Gi")
        .contains("raise the Job's ephemeral-storage limit"))
        .anySatisfy(f -> assertThat(f).contains("the data directory is at 40.0% used").contains("nothing is cleaned or grown there"));
    assertThat(r.storage().pod().outOfSpace()).isTrue();
    verify(space, never()).findOldDumpFiles(any());
  }

  @Test
  void aDryRunPlansTheStorageGatesAndChangesNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker);
    onKubernetes();
    when(assessment.checkDiskUsage("link")).thenReturn(FULL);
    when(space.findOldDumpFiles("link")).thenReturn(TWO_OLD_DUMPS);
    when(volumes.describeDataVolume("link", "200Gi")).thenReturn(EXPANDABLE);
    BackupFailureResult r = result(run(client, worker, new BackupFailureRequest("link", null, true, "alice", "200Gi")));
    assertThat(r.status()).isEqualTo(BackupFailureStatus.PLANNED);
    assertThat(r.plan()).anySatisfy(p -> assertThat(p).isEqualTo("gate clean-old-dumps: wait for approval; delete"
        + " [/data/link_users-2026-10-01.dump, /data/manual.sql.gz]; re-check disk use"))
        .anySatisfy(p -> assertThat(p).startsWith("gate expand-volume: wait for approval; set the storage request of"
            + " link-services/data-postgres-primary-0 to 200Gi (only if the disk is still full after the cleanup)"));
    assertThat(r.decisions()).isEmpty();
    verify(space, never()).deleteOldDumpFiles(any(), any());
    verify(volumes, never()).expandDataVolume(any(), any(), any());
  }

  @Test
  void aSizeThatIsNoKubernetesQuantityIsRefusedBeforeAnyStep(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker);
    RespondToBackupFailureWorkflow wf = run(client, worker, new BackupFailureRequest("link", null, false, "alice", "200 gigs"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> result(wf)).cause()
        .isInstanceOfSatisfying(io.temporal.failure.ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo("InvalidBackupFailureRequest");
          assertThat(f.getOriginalMessage()).isEqualTo("expandVolumeTo must be a Kubernetes quantity such as 200Gi, got '200 gigs'");
        });
    verify(alerts, never()).readBackupAlert(any());
    assertThat(BackupFailureRequest.isStorageQuantity("1.5Ti")).isTrue();
    assertThat(BackupFailureRequest.isStorageQuantity("-5Gi")).isFalse();
  }

  @Test
  void everyAlertNotificationIsRecordedOnTheRunItStartedWithoutStoppingIt(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker);
    when(steps.probeObjectStore("link")).thenReturn(STORE_NO_BUCKET);
    // As the API's receiver starts it: signal-with-start, the first notice with the start.
    WorkflowStub stub = client.newUntypedWorkflowStub(RespondToBackupFailureWorkflow.TYPE,
        WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("destructive/link").build());
    stub.signalWithStart(AlertSignals.ALERT_NOTIFIED, new Object[] {notice("n1", "firing", null)},
        new Object[] {new BackupFailureRequest("link", null, false, "alertmanager")});
    RespondToBackupFailureWorkflow wf = client.newWorkflowStub(RespondToBackupFailureWorkflow.class, "destructive/link");
    GateView gate = pending(env, wf, RespondToBackupFailureWorkflow.BUCKET_GATE);
    wf.alertNotified(notice("n2", "firing", null));
    wf.alertNotified(notice("n3", "resolved", "2026-11-29T10:30:00Z"));
    assertThat(wf.alertNotices()).extracting(AlertNotice::noticeId).containsExactly("n1", "n2", "n3");
    assertThat(wf.approvals()).as("a resolve does not stop the run: the gate still waits").last()
        .satisfies(g -> assertThat(g.open()).isTrue());

    wf.reject(new ApprovalDecision(gate.gateId(), "carol", gate.digest(), "the alert resolved itself", null));
    BackupFailureResult r = result(wf);
    assertThat(r.status()).isEqualTo(BackupFailureStatus.REJECTED);
    assertThat(r.alertNotices()).extracting(AlertNotice::status).containsExactly("firing", "firing", "resolved");
    assertThat(r.report()).contains("## Alert notifications")
        .contains("- PostgreSQLBackupFailed resolved at 2026-11-29T10:30:00Z (fingerprint 4a1b, received 2026-11-29T10:00:00Z): backup failed");
  }

  static AlertNotice notice(String id, String status, String endsAt) {
    return new AlertNotice(id, "PostgreSQLBackupFailed", status, "4a1b", "2026-11-29T09:58:00Z", endsAt, "link",
        "respond-to-backup-failure", java.util.Map.of("alertname", "PostgreSQLBackupFailed", "target", "link"), "backup failed",
        null, "2026-11-29T10:00:00Z");
  }
}
