package io.pgrunbooks.workflows.backupfailure;

import io.pgrunbooks.workflows.alerts.AlertNotice;
import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.approval.EscalationNotice;
import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.approval.GatedRun;
import io.pgrunbooks.workflows.approval.OnTimeout;
import io.pgrunbooks.workflows.approval.ScenarioGates;
import io.pgrunbooks.workflows.assessment.AssessmentActivities;
import io.pgrunbooks.workflows.assessment.Readiness;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.backup.BackupDatabasesWorkflow;
import io.pgrunbooks.workflows.backup.BackupRequest;
import io.pgrunbooks.workflows.backup.BackupRunResult;
import io.pgrunbooks.workflows.backup.VerificationResult;
import io.pgrunbooks.workflows.backup.VerifyBackupWorkflow;
import io.pgrunbooks.workflows.backup.VerifyRequest;
import io.pgrunbooks.workflows.common.ChildRuns;
import io.pgrunbooks.workflows.common.FailureMessages;
import io.pgrunbooks.workflows.common.RunProgress;
import io.pgrunbooks.workflows.response.IncidentReportActivities;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The runbook, step by step. Read-only steps run straight away; each change opens its own gate
 * (30 minutes, then the run ends there, as every repair scenario's gates do): starting a stopped
 * cluster, restarting one that runs but does not answer ({@link ConnectivityRepair}), repairing the
 * backup role, deleting old dump files and growing the data volume ({@link StorageRepair}), creating
 * a missing bucket, creating a missing key or rotating it ({@link EncryptionKeyRepair}). Independently of the gates, a durable timer started with the
 * run fires the escalation when no backup is verified within {@link BackupFailureRequest#escalateAfter()}
 * (the seed's 2 hours) and the run goes on: the seed's 2 hours are about the backup still failing, not
 * about one gate, so the escalation is not the gate's own 30-minute escalation.
 */
public class RespondToBackupFailureWorkflowImpl extends GatedRun implements RespondToBackupFailureWorkflow {
  /** pg_dump trouble disk: above this use of the data directory's file system, storage is a finding. */
  static final double DISK_FULL_PERCENT = 90;

  private final BackupFailureActivities quick =
      Workflow.newActivityStub(BackupFailureActivities.class, BackupFailureTimeouts.QUICK);
  private final BackupFailureActivities start =
      Workflow.newActivityStub(BackupFailureActivities.class, BackupFailureTimeouts.START);
  private final BackupAlertActivities alerts =
      Workflow.newActivityStub(BackupAlertActivities.class, BackupFailureTimeouts.QUICK);
  private final BackupStoreActivities storeChecks =
      Workflow.newActivityStub(BackupStoreActivities.class, BackupFailureTimeouts.QUICK);
  private final AssessmentActivities assessment =
      Workflow.newActivityStub(AssessmentActivities.class, BackupFailureTimeouts.QUICK);
  private final EscalationActivities escalation =
      Workflow.newActivityStub(EscalationActivities.class, BackupFailureTimeouts.QUICK);
  private final IncidentReportActivities reports =
      Workflow.newActivityStub(IncidentReportActivities.class, BackupFailureTimeouts.QUICK);
  private final ScenarioGates gates = new ScenarioGates(gate);

  private final List<String> plan = new ArrayList<>();
  private final List<String> actions = new ArrayList<>();
  private final List<String> checks = new ArrayList<>();
  private final List<String> findings = new ArrayList<>();
  private final Set<FailureClass> classes = new LinkedHashSet<>();
  private final List<AlertNotice> alertNotices = new ArrayList<>();
  private final StorageRepair storage = new StorageRepair(gates, plan, actions, checks, findings);
  private final EncryptionKeyRepair encryption = new EncryptionKeyRepair(gates, plan, actions, checks, findings);
  private final ConnectivityRepair connectivityRepair = new ConnectivityRepair(gates, quick, plan, actions, checks, findings);
  private BackupFailureRequest request;
  private BackupAlert alert;
  private BackupJobStatus jobStatus;
  private Readiness readiness;
  private StorageUsage disk;
  private List<ClassifiedError> classified = List.of();
  private ConnectivityCheck connectivity;
  private BackupRoleCheck role;
  private KeyCheck key;
  private StoreProbe store;
  private String backupMetadataKey;
  private String backupChildId;
  private boolean verified;
  private boolean finished;
  private String escalatedAt;

  @Override
  public void alertNotified(AlertNotice notice) {
    alertNotices.add(notice);
  }

  @Override
  public List<AlertNotice> alertNotices() {
    return List.copyOf(alertNotices);
  }

  @Override
  public BackupFailureResult respond(BackupFailureRequest request) {
    this.request = request;
    gate.requestedBy(request.requestedBy());
    if (request.escalateAfterMinutes() != null && request.escalateAfterMinutes() < 1) {
      throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
          "escalateAfterMinutes must be at least 1 (null: the seed's 120)", "InvalidBackupFailureRequest");
    }
    StorageRepair.validate(request);
    if (!request.dryRun()) {
      // 7. Escalation: a durable timer, started with the run, independent of gates and children.
      Async.procedure(this::escalateWhenLate);
    }

    // 1. Check Alert Details: Prometheus' backup metrics of the target.
    RunProgress.enter("alert-details", "Reading the backup metrics of " + request.target() + " from Prometheus");
    alert = read("alert details", () -> alerts.readBackupAlert(request.target()));
    if (alert != null && alert.problem() != null) {
      findings.add("Prometheus could not answer: " + alert.problem());
    }

    // 2. Check Backup Job Status: this service's BackupDatabases runs and, on kubernetes, the backup Jobs.
    RunProgress.enter("backup-job-status", "Listing the recent backup runs of " + request.target() + " and their errors");
    jobStatus = read("backup job status", () -> quick.readBackupJobStatus(request.target()));
    if (jobStatus != null) {
      findings.addAll(jobStatus.problems());
    }

    // 3. Verify Database Health: pg_isready and df of the data directory.
    RunProgress.enter("database-health", "Checking readiness and disk use of " + request.target());
    readiness = read("readiness", () -> assessment.checkReadiness(request.target()));
    disk = read("disk use", () -> assessment.checkDiskUsage(request.target()));

    // 4. Analyze Job Failure: classify the errors into the seed's patterns.
    RunProgress.enter("classify", "Classifying the backup errors");
    classified = BackupFailureClassifier.classifyAll(jobStatus == null ? List.of() : jobStatus.errors());
    classes.addAll(BackupFailureClassifier.classes(classified));
    classified.stream().filter(c -> c.failureClass() == FailureClass.UNKNOWN).map(c -> c.error().message()).distinct()
        .forEach(text -> findings.add("an error that matches none of the seed's patterns: " + text));

    // 5. Resolution steps; every check runs whatever the classes, as the seed's investigation does.
    // Scenario 1: database connection issues.
    RunProgress.enter("connectivity", "Checking TCP and SELECT 1 from the worker");
    connectivity = quick.checkDatabaseConnectivity(request.target());
    if (!connectivity.ok()) {
      classes.add(FailureClass.CONNECTIVITY);
      if (Boolean.FALSE.equals(connectivity.serverRunning())) {
        plan.add("gate " + START_GATE + ": wait for approval; pg_ctl start; re-check connectivity");
        if (!request.dryRun()) {
          GateOutcome decision = gates.ask(START_GATE,
              "pg_ctl start of the stopped cluster of target " + request.target() + " (host hosting), waiting until it accepts connections",
              request.target(), "backups cannot connect: " + connectivity.describe());
          if (!decision.approved()) {
            return stop(BackupFailureStatus.REJECTED, decision.refusal());
          }
          RunProgress.enter("start-database", "Starting the cluster of " + request.target());
          actions.add(start.startStoppedDatabase(request.target()));
          connectivity = quick.checkDatabaseConnectivity(request.target());
          checks.add("after starting the cluster: " + connectivity.describe());
        }
      } else {
        // Runs but does not answer: restart it (statefulset or pg_ctl) under its gate.
        ConnectivityRepair.Outcome repaired = connectivityRepair.repair(request, connectivity);
        if (repaired.refusal() != null) {
          return stop(BackupFailureStatus.REJECTED, repaired.refusal());
        }
        connectivity = repaired.connectivity();
      }
    }

    // Scenario 2: authentication failures (needs the server).
    if (connectivity.ok()) {
      RunProgress.enter("backup-role", "Checking the backup role's login and read access");
      role = quick.checkBackupRole(request.target());
      if (!role.ok()) {
        classes.add(FailureClass.AUTHENTICATION);
        plan.add("gate " + ROLE_GATE + ": wait for approval; repair role " + role.role() + "; re-check it");
        if (!request.dryRun()) {
          GateOutcome decision = gates.ask(ROLE_GATE, roleAction(), request.target(), "backups fail: " + role.describe());
          if (!decision.approved()) {
            return stop(BackupFailureStatus.REJECTED, decision.refusal());
          }
          RunProgress.enter("repair-backup-role", "Repairing role " + role.role());
          actions.add(quick.repairBackupRole(request.target()));
          role = quick.checkBackupRole(request.target());
          checks.add("after repairing the backup role: " + role.describe());
        }
      }
    } else if (classes.contains(FailureClass.AUTHENTICATION)) {
      findings.add("the backup role could not be checked: the server does not answer");
    }

    // Scenario 5: encryption issues: check the key; a missing one is created, or (rotateKey) the key rotated, under its gate.
    RunProgress.enter("encryption-key", "Checking the encryption key reference");
    key = quick.checkEncryptionKey(request.target());
    if (!key.ok()) {
      classes.add(FailureClass.ENCRYPTION);
    }
    EncryptionKeyRepair.Outcome keyRepair = encryption.resolve(request, key);
    key = keyRepair.key();
    if (keyRepair.stoppedWith() != null) {
      return stop(keyRepair.stoppedWith(), keyRepair.reason());
    }

    // Scenario 4: S3 access issues.
    RunProgress.enter("object-store", "Probing the object store: HeadBucket, list, put and delete");
    store = quick.probeObjectStore(request.target());
    if (!store.ok()) {
      classes.add(FailureClass.S3);
    }
    if (store.bucketMissing()) {
      plan.add("gate " + BUCKET_GATE + ": wait for approval; create bucket " + store.bucket() + "; probe the store again");
      if (!request.dryRun()) {
        GateOutcome decision = gates.ask(BUCKET_GATE, "create bucket " + store.bucket() + " in store " + store.store()
                + " (endpoint " + (store.endpoint() == null ? "AWS S3 of the store's region" : store.endpoint()) + ")",
            request.target(), "backups cannot be stored: " + store.describe());
        if (!decision.approved()) {
          return stop(BackupFailureStatus.REJECTED, decision.refusal());
        }
        RunProgress.enter("create-bucket", "Creating bucket " + store.bucket() + " in store " + store.store());
        actions.add(quick.createBackupBucket(request.target()));
        store = quick.probeObjectStore(request.target());
        checks.add("after creating the bucket: " + store.describe());
      }
    } else if (!store.ok()) {
      // Credentials and policies are the store's owner's: the finding names the first refused step.
      findings.add("object store: " + store.describe()
          + "; this runbook does not change credentials or policies: fix them in pgrunbooks.stores."
          + store.store() + " or the store's IAM policy");
    }

    // Prevention, Backup Redundancy: the bucket's replication, read-only; whatever it says is a finding.
    if (store.bucketExists()) {
      RunProgress.enter("bucket-replication", "Reading the replication configuration of bucket " + store.bucket());
      BucketReplication replication = read("bucket replication", () -> storeChecks.checkBucketReplication(request.target()));
      if (replication != null) {
        findings.add("backup redundancy (" + replication.status() + "): " + replication.finding());
      }
    }

    // Scenario 3: storage issues: backup pod storage, old dump files and the data volume, each change
    // behind its gate (StorageRepair); nothing runs while the disk is under the threshold and no error says storage.
    GateOutcome storageRefused = storage.resolve(request, disk, classes, classified, connectivity.hosting());
    if (storageRefused != null) {
      return stop(BackupFailureStatus.REJECTED, storageRefused.refusal());
    }

    String blocker = blocker();
    if (request.dryRun()) {
      plan.add(blocker == null ? "back up (BackupDatabases child) and verify (VerifyBackup child)" : "no backup: " + blocker);
      RunProgress.enter("planned", "Dry run: nothing was changed; the plan is in the result");
      return finish(BackupFailureStatus.PLANNED, null);
    }
    if (blocker != null) {
      return stop(BackupFailureStatus.BLOCKED, "no backup attempted: " + blocker);
    }

    // 6. Manual backup execution and verification, as children.
    RunProgress.enter("backup", "Backing up " + request.target());
    BackupRunResult backup;
    try {
      backup = Workflow.newChildWorkflowStub(BackupDatabasesWorkflow.class, childOptions("backup", BackupDatabasesWorkflow.TYPE))
          .backup(new BackupRequest(request.target(), List.of(), null, 0, null, request.requestedBy()));
    } catch (TemporalFailure e) {
      return stop(BackupFailureStatus.FAILED, "the backup failed: " + FailureMessages.rootMessage(e));
    }
    backupMetadataKey = backup.metadataKey();
    if (backup.failed() > 0 || backup.metadataKey() == null) {
      backup.databases().stream().filter(d -> !d.succeeded())
          .forEach(d -> findings.add("backup of " + d.database() + " failed (" + d.errorType() + "): " + d.error()));
      return stop(BackupFailureStatus.FAILED, "the new backup failed for " + backup.failed() + " database(s)"
          + (backup.problem() == null ? "" : "; " + backup.problem()));
    }
    actions.add("backed up " + backup.succeeded() + " database(s) to " + backup.metadataKey());
    RunProgress.enter("verify", "Verifying " + backup.metadataKey());
    VerificationResult verification;
    try {
      verification = Workflow.newChildWorkflowStub(VerifyBackupWorkflow.class, childOptions("verify", VerifyBackupWorkflow.TYPE))
          .verify(new VerifyRequest(request.target(), backup.metadataKey(), List.of(), null, request.requestedBy()));
    } catch (TemporalFailure e) {
      return stop(BackupFailureStatus.FAILED, "the verification failed: " + FailureMessages.rootMessage(e));
    }
    verified = verification.passed();
    checks.add("verification of " + backup.metadataKey() + ": " + (verified ? "passed" : "FAILED"));
    verification.objects().stream().filter(o -> !o.passed())
        .forEach(o -> findings.add("verification of " + o.objectKey() + " failed: " + o.problem()));
    if (!verified) {
      return stop(BackupFailureStatus.FAILED, "the new backup " + backup.metadataKey() + " did not verify");
    }
    RunProgress.enter("done", "Backup " + backup.metadataKey() + " made and verified");
    return finish(BackupFailureStatus.VERIFIED, null);
  }

  /** What keeps a backup from working that this run could not fix, or null. */
  private String blocker() {
    if (!connectivity.ok()) {
      return "the server does not answer (" + connectivity.describe() + ")";
    }
    if (role != null && !role.ok()) {
      return role.describe();
    }
    if (!key.ok()) {
      return "the encryption key: " + key.problem();
    }
    if (!store.ok()) {
      return store.describe();
    }
    return null;
  }

  private String roleAction() {
    String grant = role.serverMajor() >= 14 ? "GRANT pg_read_all_data" : "GRANT CONNECT, USAGE and SELECT on every schema of the configured databases";
    return (role.exists() ? "ALTER ROLE " + role.role() + " LOGIN CREATEDB PASSWORD <from its configured password reference>"
        : "CREATE ROLE " + role.role() + " LOGIN CREATEDB PASSWORD <from its configured password reference>")
        + "; " + grant + " TO " + role.role() + " (the password never appears in history or logs)";
  }

  private void escalateWhenLate() {
    Duration after = request.escalateAfter();
    boolean settled = Workflow.await(after, () -> verified || finished);
    if (settled) {
      return;
    }
    escalatedAt = now();
    String rpo = alert == null || alert.lastSuccessAt() == null
        ? "no good backup is known: everything written since the last one is at risk"
        : "the last good backup is from " + alert.lastSuccessAt() + ": everything written since then is at risk";
    escalation.escalate(new EscalationNotice(
        Workflow.getInfo().getWorkflowId(), ESCALATION,
        "no verified backup of target " + request.target() + " after " + after.toMinutes() + " minutes: RPO at risk, " + rpo
            + "; escalate to the senior DevOps engineer, consider the standby backup method, notify stakeholders",
        after.toSeconds(), OnTimeout.KEEP_WAITING));
    findings.add("escalated at " + escalatedAt + ": no verified backup after " + after.toMinutes() + " minutes (" + rpo + ")");
  }

  private <T> T read(String what, Supplier<T> step) {
    return FindingReads.read(findings, what, step);
  }

  private ChildWorkflowOptions childOptions(String role, String workflowType) {
    String id = Workflow.getInfo().getWorkflowId() + "-" + role;
    if (role.equals("backup")) {
      backupChildId = id;
    }
    return ChildRuns.options(id, workflowType, request.target(), request.requestedBy());
  }

  private BackupFailureResult stop(BackupFailureStatus status, String reason) {
    RunProgress.enter(status == BackupFailureStatus.REJECTED ? "rejected" : "stopped", reason);
    return finish(status, reason);
  }

  // 8. The final report: Markdown in the result, stored like the incident reports.
  private BackupFailureResult finish(BackupFailureStatus status, String reason) {
    finished = true;
    BackupFailureResult result = result(status, reason, null, null);
    String markdown = BackupFailureMarkdown.render(result, Workflow.getInfo().getWorkflowId());
    String uri = null;
    if (!request.dryRun()) {
      try {
        uri = reports.storeIncidentReport(Workflow.getInfo().getWorkflowId(), markdown);
      } catch (TemporalFailure e) {
        findings.add("the report could not be stored: " + FailureMessages.rootMessage(e));
      }
    }
    return result(status, reason, markdown, uri);
  }

  private BackupFailureResult result(BackupFailureStatus status, String reason, String markdown, String uri) {
    return new BackupFailureResult(
        status, request.target(), alert, jobStatus, readiness, disk, classified, List.copyOf(classes), connectivity, role, key,
        store, List.copyOf(plan), gates.outcomes(), List.copyOf(actions), List.copyOf(checks), List.copyOf(findings),
        backupMetadataKey, backupChildId, verified, escalatedAt, markdown, uri, reason, storage.report(),
        List.copyOf(alertNotices));
  }

  private static String now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis()).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
