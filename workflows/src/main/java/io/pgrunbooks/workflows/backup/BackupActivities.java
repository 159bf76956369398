package io.pgrunbooks.workflows.backup;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * The steps of "Manual Backup Execution". Credentials and the passphrase are resolved inside the
 * activities from the plan's references; none of them ever reaches workflow history.
 */
@ActivityInterface
public interface BackupActivities {

  /**
   * Resolves defaults from the target's configuration and checks every name (target, databases,
   * store, key reference) before anything runs. Bad input fails non-retryably with a message that
   * lists what exists.
   */
  BackupPlan planBackup(BackupRequest request, String label);

  /**
   * The seed's loop body for one database: pg_dump (custom format), [zstd], openssl-compatible
   * AES-256-CBC and SHA-256, streamed into a multipart upload (storage class STANDARD_IA), with no
   * temporary file. Row counts of every table are taken in the dump's own snapshot and written to a
   * manifest beside the object. Heartbeats {@link BackupProgress}. A retry (e.g. after the worker
   * died) aborts the dead attempt's upload and writes the same key again, from the start.
   */
  DatabaseBackup backupDatabase(BackupPlan plan, String database);

  /**
   * The alert's metrics: {@code postgres_backup_last_success_timestamp} on success, {@code
   * postgres_backup_errors_total} on failure, per target and database.
   */
  void recordBackupOutcome(String target, String database, boolean succeeded, String errorType);

  /**
   * Writes the run's metadata.json after the objects it describes, listing only those found in the
   * store with their recorded size.
   */
  MetadataWritten writeRunMetadata(BackupPlan plan, List<DatabaseBackup> results, String requestedBy);

  /**
   * Moves {@code <prefix>/latest/<database>.json} for each verified database and, when {@code
   * wholeRun}, {@code <prefix>/latest/metadata.json}, to this run.
   */
  void moveLatestPointers(BackupPlan plan, List<String> verifiedDatabases, boolean wholeRun);
}
