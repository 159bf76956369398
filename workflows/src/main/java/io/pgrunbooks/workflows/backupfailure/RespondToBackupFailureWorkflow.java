package io.pgrunbooks.workflows.backupfailure;

import io.pgrunbooks.workflows.alerts.AlertSignals;
import io.pgrunbooks.workflows.approval.ApprovalSignals;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Seed 003, "PostgreSQL Backup Failed": alert details, backup job status, database health, classify
 * the errors, resolve per class (each change behind its gate), then a new backup and its
 * verification as children; escalates when no backup is verified within 2 hours, and goes on.
 * Alert notifications (PostgreSQLBackupFailed repeated, resolved) are recorded on the run ({@link AlertSignals}).
 */
@WorkflowInterface
public interface RespondToBackupFailureWorkflow extends ApprovalSignals, AlertSignals {
  String TYPE = "RespondToBackupFailure";
  /** Scenario 1 (host hosting): pg_ctl start of the stopped cluster. */
  String START_GATE = "start-database";
  /** Scenario 2: create or repair the backup role and grant it read access. */
  String ROLE_GATE = "repair-backup-role";
  /** Scenario 4: create the store's bucket, which HeadBucket says does not exist. */
  String BUCKET_GATE = "create-bucket";
  /** The escalation's id in its notice (not a gate: nothing waits for it). */
  String ESCALATION = "backup-not-verified";
  /** Scenario 3: delete the old dump files the gate lists (never under pg_wal, never a file PostgreSQL owns). */
  String CLEAN_DUMPS_GATE = "clean-old-dumps";
  /** Scenario 3 (kubernetes): grow the data directory's claim to expandVolumeTo; only where its storage class allows it. */
  String EXPAND_GATE = "expand-volume";
  /** Scenario 5: write a new random key where the target's key-ref resolves to nothing. */
  String CREATE_KEY_GATE = "create-backup-key";
  /** Scenario 5, on request ({@code rotateKey}): keep the old key as {@code <key-ref>.<key id>}, write a new one. */
  String ROTATE_KEY_GATE = "rotate-backup-key";
  /** Scenario 1 (kubernetes): kubectl rollout restart of the primary's StatefulSet, which runs but does not answer. */
  String RESTART_STATEFULSET_GATE = "restart-statefulset";
  /** Scenario 1 (host hosting): pg_ctl restart of the cluster, which runs but does not answer. */
  String RESTART_GATE = "restart-database";

  @WorkflowMethod(name = TYPE)
  BackupFailureResult respond(BackupFailureRequest request);
}
