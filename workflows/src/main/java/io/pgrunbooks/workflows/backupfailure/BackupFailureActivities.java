package io.pgrunbooks.workflows.backupfailure;

import io.temporal.activity.ActivityInterface;

/**
 * Steps 2 and 5 of the backup-failure runbook, one activity each. Every activity takes the
 * target's name and resolves endpoints, stores and secrets itself; no secret ever crosses this
 * interface. Checks never fail for what they find: a failed check is in their result.
 */
@ActivityInterface
public interface BackupFailureActivities {

  /**
   * Step 2, {@code kubectl get jobs -l app=postgres-backup} and the newest Job's logs, plus this
   * service's own recent BackupDatabases runs of the target (Temporal visibility) with their errors.
   */
  BackupJobStatus readBackupJobStatus(String target);

  /**
   * Scenario 1: pg_ctl status (host), listen_addresses, a TCP connect and SELECT 1 from the worker; on
   * kubernetes also the primary's StatefulSet, its Services with their endpoints, and its pods.
   */
  ConnectivityCheck checkDatabaseConnectivity(String target);

  /**
   * Scenario 1's fix on host hosting: {@code pg_ctl start} of a stopped cluster (nothing when it
   * runs: idempotent). Returns what was done. Kubernetes hosting: not applicable (non-retryable).
   */
  String startStoppedDatabase(String target);

  /** Scenario 2: does the backup role exist, can it log in with its password, can it read every table. */
  BackupRoleCheck checkBackupRole(String target);

  /**
   * Scenario 2's fix: create the backup role (or reset its password) from its configured password
   * reference, give it LOGIN, and grant what a backup needs (pg_read_all_data on 14+, else CONNECT,
   * USAGE and SELECT on every schema of the configured databases). Returns what was done, in words.
   */
  String repairBackupRole(String target);

  /**
   * Scenario 5: the key reference resolves, its length, a round trip; whether a run can write the
   * reference (file:, k8s:) and where a rotation would keep the current key ({@link KeyCheck}).
   */
  KeyCheck checkEncryptionKey(String target);

  /** Scenario 4: HeadBucket, a list, a put and a delete of a probe object. */
  StoreProbe probeObjectStore(String target);

  /**
   * Scenario 4's fix when the bucket does not exist: CreateBucket of the target's store's bucket
   * with the store's credentials. Idempotent: a bucket that exists already (an earlier attempt, or
   * someone else) is done. Returns what was done, in words.
   */
  String createBackupBucket(String target);
}
