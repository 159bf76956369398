package io.pgrunbooks.workflows.backupfailure;

import io.temporal.activity.ActivityInterface;

/**
 * Scenario 3 of the backup-failure runbook, "Storage Issues": the backup Job's pod and the old dump
 * files. Growing the data volume is Scenario 5 of the failure runbook's ({@code DiskActivities}),
 * reused as it is. Every activity takes the target's name and resolves where things are itself.
 */
@ActivityInterface
public interface StorageSpaceActivities {

  /**
   * "Check backup pod storage" ({@code kubectl describe pod -l job-name=...}), kubernetes only: the
   * newest backup Job's pods (app=postgres-backup), their status and events, for an eviction over
   * ephemeral storage or "no space left on device". Never fails for what it finds.
   */
  BackupPodStorage checkBackupPodStorage(String target);

  /**
   * "Clean up old backup files", read-only: the dump files (*.backup, *.dump, *.sql, *.sql.gz, *.tar,
   * *.tar.gz) older than the target's dump retention in the top level of the data directory and in
   * its configured local dump directory; never anything under pg_wal or any file PostgreSQL owns.
   */
  OldDumps findOldDumpFiles(String target);

  /**
   * The cleanup itself: deletes exactly the approved files, each only if it is still there, still a
   * dump file of an allowed directory and unchanged (size and modification time) since the listing.
   * A file already gone is fine (an earlier attempt, or someone else); one that changed is skipped.
   */
  DumpDeletion deleteOldDumpFiles(String target, OldDumps approved);
}
