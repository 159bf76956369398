package io.pgrunbooks.workflows.backupfailure;

import io.temporal.activity.ActivityInterface;

/** Step 1 of the backup-failure runbook: what the alert is about, from Prometheus' HTTP API. */
@ActivityInterface
public interface BackupAlertActivities {

  /**
   * Queries {@code postgres_backup_errors_total} and {@code postgres_backup_last_success_timestamp}
   * of the target; a Prometheus that cannot be reached is a {@link BackupAlert#problem()}, not a failure.
   */
  BackupAlert readBackupAlert(String target);
}
