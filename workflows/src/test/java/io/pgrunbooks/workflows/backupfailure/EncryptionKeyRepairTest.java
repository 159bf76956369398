package io.pgrunbooks.workflows.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.approval.TestApprovals;
import io.pgrunbooks.workflows.assessment.AssessmentActivities;
import io.pgrunbooks.workflows.assessment.Readiness;
import io.pgrunbooks.workflows.assessment.ReadinessState;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.response.IncidentReportActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 5's gates in the whole workflow, activities mocked: a missing key created after approval,
 * a key rotated on request, each rejected, planned in a dry run, refused for an env: reference; and
 * no key activity at all when the key works and no rotation is asked for.
 */
class EncryptionKeyRepairTest {
  @RegisterExtension static final TestWorkflowExtension testWorkflow = FakeBackupChildren.withTheRunbook();

  static final String REF = "file:/etc/pgrunbooks/backup-key";
  static final String OLD_ID = "0123456789abcdef";
  static final String NEW_ID = "fedcba9876543210";
  static final KeyCheck MISSING = new KeyCheck(REF, false, 0, null, false,
      "secret reference '" + REF + "' cannot be resolved: cannot read /etc/pgrunbooks/backup-key: NoSuchFileException", null, null);
  static final KeyCheck WORKING = new KeyCheck(REF, true, 44, OLD_ID, true, null, null, REF + "." + OLD_ID);
  static final KeyCheck NEW = new KeyCheck(REF, true, 44, NEW_ID, true, null, null, REF + "." + NEW_ID);
  static final String ENV_PROBLEM = "env:KEY is read from the worker's environment, which a run cannot change: set KEY in the"
      + " worker's environment (e.g. from a secret) and restart the worker, or use a file: or k8s: reference";
  static final KeyCheck ENV_MISSING = new KeyCheck("env:KEY", false, 0, null, false,
      "secret reference 'env:KEY' cannot be resolved: environment variable KEY is not set", ENV_PROBLEM, null);
  static final KeyCheck ENV_WORKING = new KeyCheck("env:KEY", true, 44, OLD_ID, true, null, ENV_PROBLEM, null);

  private final BackupFailureActivities steps = mock(BackupFailureActivities.class, withSettings().withoutAnnotations());
  private final KeyRotationActivities keys = mock(KeyRotationActivities.class, withSettings().withoutAnnotations());
  private final BackupAlertActivities alerts = mock(BackupAlertActivities.class, withSettings().withoutAnnotations());
  private final BackupStoreActivities store = mock(BackupStoreActivities.class, withSettings().withoutAnnotations());
  private final AssessmentActivities health = mock(AssessmentActivities.class, withSettings().withoutAnnotations());
  private final IncidentReportActivities reports = mock(IncidentReportActivities.class, withSettings().withoutAnnotations());

  /** A target whose only trouble is its key, which checks as {@code first} and then as {@code after}. */
  private void healthyBut(TestWorkflowEnvironment env, Worker worker, KeyCheck first, KeyCheck... after) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    when(alerts.readBackupAlert("link")).thenReturn(new BackupAlert("http://prometheus:9090", 1.0, null, null, 86400, true, null));
    List<BackupError> errors = first.ok() ? List.of() : List.of(new BackupError("temporal:backup-1", "UnresolvableSecret", "encryption key: " + first.problem()));
    when(steps.readBackupJobStatus("link")).thenReturn(
        new BackupJobStatus(List.of(new BackupRun("temporal", "backup-1", "COMPLETED", null, first.ok(), errors)), null, List.of()));
    when(health.checkReadiness("link")).thenReturn(new Readiness(ReadinessState.ACCEPTING, "127.0.0.1:5432", null, null, 2));
    when(health.checkDiskUsage("link")).thenReturn(new StorageUsage("/data", 100, 10, 90, 10.0));
    when(steps.checkDatabaseConnectivity("link")).thenReturn(RespondToBackupFailureWorkflowTest.UP);
    when(steps.checkBackupRole("link")).thenReturn(RespondToBackupFailureWorkflowTest.ROLE_OK);
    when(steps.checkEncryptionKey("link")).thenReturn(first, after);
    when(steps.probeObjectStore("link")).thenReturn(RespondToBackupFailureWorkflowTest.STORE_OK);
    when(store.checkBucketReplication("link")).thenReturn(RespondToBackupFailureWorkflowTest.NOT_REPLICATED);
    when(reports.storeIncidentReport(anyString(), anyString())).thenReturn("s3://reports/r.md");
    worker.registerActivitiesImplementations(
        TestApprovals.trustingNamespace(), steps, keys, alerts, store, health, reports, mock(EscalationActivities.class, withSettings().withoutAnnotations()));
    env.start();
  }

  private static RespondToBackupFailureWorkflow start(WorkflowClient client, Worker worker, boolean dryRun, Boolean rotateKey) {
    RespondToBackupFailureWorkflow wf = client.newWorkflowStub(RespondToBackupFailureWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("bf-key").build());
    WorkflowClient.start(wf::respond, new BackupFailureRequest("link", null, dryRun, "alice", rotateKey));
    return wf;
  }

  /** The gate once it is open (time skipped past the checks), checked to be {@code gateId}. */
  private static GateView gate(TestWorkflowEnvironment env, RespondToBackupFailureWorkflow wf, String gateId) {
    env.sleep(Duration.ofSeconds(30));
    List<GateView> gates = wf.approvals();
    assertThat(gates).extracting(GateView::gateId).containsExactly(gateId);
    return gates.get(0);
  }

  private static BackupFailureResult result(RespondToBackupFailureWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(BackupFailureResult.class);
  }

  private static BackupKeyCheck ring(List<String> unopenable) {
    return new BackupKeyCheck("link", REF, true, 44, true, NEW_ID,
        List.of(new BackupKeyEntry(REF, "current", NEW_ID, null)), null, null,
        unopenable.isEmpty() ? Map.of(NEW_ID, 1) : Map.of(OLD_ID, unopenable.size()), unopenable,
        unopenable.isEmpty() ? List.of() : List.of(unopenable.size() + " backup run(s) were made with key id " + OLD_ID
            + ", which no configured key has: they cannot be restored"),
        List.of(), unopenable.isEmpty());
  }

  @Test
  void aMissingKeyIsCreatedAfterApprovalThenBackedUpAndVerified(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    healthyBut(env, worker, MISSING, NEW);
    when(keys.createBackupKey("link")).thenReturn("wrote a new random 256-bit key (key id " + NEW_ID + ") to " + REF);
    when(keys.checkBackupKey("link")).thenReturn(ring(List.of("postgres-backups/manual/old-metadata.json")));
    RespondToBackupFailureWorkflow wf = start(client, worker, false, null);

    GateView gate = gate(env, wf, RespondToBackupFailureWorkflow.CREATE_KEY_GATE);
    assertThat(gate.description()).contains("write a new random 256-bit passphrase (44 base64 characters, a new file with owner-only"
        + " permissions 0600) to " + REF).contains("never shown");
    verify(keys, never()).createBackupKey(any());
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), null, null));

    BackupFailureResult r = result(wf);
    assertThat(r.status()).as(r.report()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.classes()).containsExactly(FailureClass.ENCRYPTION);
    assertThat(r.actions()).first().isEqualTo("wrote a new random 256-bit key (key id " + NEW_ID + ") to " + REF);
    assertThat(r.checks()).containsSequence("after creating the key: key " + REF + " resolves (44 characters, key id " + NEW_ID
        + "), round trip passes", "after creating the key, the backups' keys: 1 of the 1 backup run(s) in the store no key opens:"
        + " [postgres-backups/manual/old-metadata.json]");
    assertThat(r.key()).isEqualTo(NEW);
    assertThat(r.findings())
        .anySatisfy(f -> assertThat(f).startsWith("encryption key: a new key was written to " + REF)
            .contains("backups made with the missing key (a key id no configured or archived key has) cannot be restored"))
        .anySatisfy(f -> assertThat(f).contains("key id " + OLD_ID + ", which no configured key has: they cannot be restored"));
    assertThat(r.report()).contains("create-backup-key: approved by bob");
    verify(keys, times(1)).createBackupKey("link");
  }

  /** Runs until {@code gateId} opens, carol rejects it with {@code why}: the run ends REJECTED with her reason, no backup. */
  private static void rejected(TestWorkflowEnvironment env, WorkflowClient client, Worker worker, Boolean rotateKey, String gateId,
      String why) {
    RespondToBackupFailureWorkflow wf = start(client, worker, false, rotateKey);
    GateView gate = gate(env, wf, gateId);
    wf.reject(new ApprovalDecision(gate.gateId(), "carol", gate.digest(), why, null));
    BackupFailureResult r = result(wf);
    assertThat(r.status()).isEqualTo(BackupFailureStatus.REJECTED);
    assertThat(r.reason()).contains("rejected by carol: " + why);
    assertThat(r.backupChildId()).isNull();
  }

  @Test
  void aRejectedKeyCreationEndsTheRunWithTheReasonAndWritesNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    healthyBut(env, worker, MISSING);
    rejected(env, client, worker, null, RespondToBackupFailureWorkflow.CREATE_KEY_GATE, "the key is in the vault, I will restore it");
    verify(keys, never()).createBackupKey(any());
    verify(steps, never()).probeObjectStore(any());
  }

  @Test
  void aFailedKeyCreationEndsTheRunFailedWithTheMessage(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    healthyBut(env, worker, MISSING);
    when(keys.createBackupKey("link")).thenThrow(ApplicationFailure.newNonRetryableFailure(
        REF + " exists already (though it did not resolve to a secret): it is not overwritten", "SecretExists"));
    RespondToBackupFailureWorkflow wf = start(client, worker, false, null);
    GateView gate = gate(env, wf, RespondToBackupFailureWorkflow.CREATE_KEY_GATE);
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), null, null));

    BackupFailureResult r = result(wf);
    assertThat(r.status()).isEqualTo(BackupFailureStatus.FAILED);
    assertThat(r.reason()).isEqualTo("Writing a new encryption key to " + REF + " failed: " + REF
        + " exists already (though it did not resolve to a secret): it is not overwritten");
    assertThat(r.backupChildId()).isNull();
  }

  /** A run that opens no gate and calls no key activity; its result, checked to have ended {@code status}. */
  private BackupFailureResult ungated(TestWorkflowEnvironment env, WorkflowClient client, Worker worker, KeyCheck key, boolean dryRun,
      Boolean rotateKey, BackupFailureStatus status) {
    healthyBut(env, worker, key);
    BackupFailureResult r = result(start(client, worker, dryRun, rotateKey));
    assertThat(r.status()).as(r.report()).isEqualTo(status);
    assertThat(r.decisions()).isEmpty();
    verifyNoInteractions(keys);
    return r;
  }

  @Test
  void anEnvironmentKeyIsAFindingSayingWhatToDoAndNoGate(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    BackupFailureResult r = ungated(env, client, worker, ENV_MISSING, false, true, BackupFailureStatus.BLOCKED);
    assertThat(r.classes()).containsExactly(FailureClass.ENCRYPTION);
    assertThat(r.findings()).contains(
        "encryption key: " + ENV_MISSING.problem() + "; the run cannot write a new key there: " + ENV_PROBLEM,
        "rotateKey: not done: the current key does not work; repair it first");
  }

  @Test
  void aRotationOfAnEnvironmentKeyIsAFindingAndTheBackupStillRuns(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    BackupFailureResult r = ungated(env, client, worker, ENV_WORKING, false, true, BackupFailureStatus.VERIFIED);
    assertThat(r.findings()).contains("rotateKey: not done: " + ENV_PROBLEM);
  }

  @Test
  void aRequestedRotationKeepsTheOldKeyAfterApprovalThenBacksUp(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    healthyBut(env, worker, WORKING, NEW);
    when(keys.rotateBackupKey("link", OLD_ID)).thenReturn("rotated the key at " + REF + ": the old key (key id " + OLD_ID
        + ") kept at " + REF + "." + OLD_ID + " and read back; a new random 256-bit key (key id " + NEW_ID + ") written to " + REF);
    when(keys.checkBackupKey("link")).thenReturn(ring(List.of()));
    RespondToBackupFailureWorkflow wf = start(client, worker, false, true);

    GateView gate = gate(env, wf, RespondToBackupFailureWorkflow.ROTATE_KEY_GATE);
    assertThat(gate.description()).contains("copy the passphrase of " + REF + " (key id " + OLD_ID + ") to " + REF + "." + OLD_ID
        + " and read it back, then replace the passphrase at " + REF + " with a new random 256-bit one");
    verify(keys, never()).rotateBackupKey(any(), any());
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "security team agreed", null));

    BackupFailureResult r = result(wf);
    assertThat(r.status()).as(r.report()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.classes()).as("a working key is no failure class").isEmpty();
    assertThat(r.actions()).first().asString().startsWith("rotated the key at " + REF);
    assertThat(r.checks()).containsSequence("after rotating the key: key " + REF + " resolves (44 characters, key id " + NEW_ID
        + "), round trip passes", "after rotating the key, the backups' keys: each of the 1 backup run(s) in the store opens with a"
        + " key of the keyring (1 key(s))");
    assertThat(r.key().keyId()).isEqualTo(NEW_ID);
    verify(keys, times(1)).rotateBackupKey("link", OLD_ID);
  }

  @Test
  void aRejectedRotationEndsTheRunWithTheReasonAndChangesNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    healthyBut(env, worker, WORKING);
    rejected(env, client, worker, true, RespondToBackupFailureWorkflow.ROTATE_KEY_GATE, "not during the audit");
    verify(keys, never()).rotateBackupKey(any(), any());
  }

  @Test
  void aDryRunPlansTheKeyCreationOnly(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    BackupFailureResult r = ungated(env, client, worker, MISSING, true, null, BackupFailureStatus.PLANNED);
    assertThat(r.plan()).first().isEqualTo("gate create-backup-key: wait for approval; write a new random 256-bit key to " + REF
        + "; re-check the key and which backups no key opens");
  }

  @Test
  void aDryRunPlansARequestedRotation(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    BackupFailureResult r = ungated(env, client, worker, WORKING, true, true, BackupFailureStatus.PLANNED);
    assertThat(r.plan()).containsExactly("gate rotate-backup-key: wait for approval; keep key id " + OLD_ID + " at " + REF + "."
        + OLD_ID + " and read it back; write a new random 256-bit key to " + REF + "; re-check the key and every backup's key",
        "back up (BackupDatabases child) and verify (VerifyBackup child)");
  }

  @Test
  void aWorkingKeyWithoutARotationCostsNoKeyActivity(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    ungated(env, client, worker, WORKING, false, null, BackupFailureStatus.VERIFIED);
    verify(steps, times(1)).checkEncryptionKey("link");
  }
}
