package io.pgrunbooks.workflows.backupfailure;

import java.util.List;

/**
 * A recent backup run, from either place a backup may have run.
 *
 * @param source {@code temporal} (this service's BackupDatabases) or {@code kubernetes} (a Job labelled app=postgres-backup)
 * @param id the workflow id or the Job's name
 * @param status e.g. COMPLETED, FAILED, RUNNING (Temporal), or Complete / Failed / Active (Job)
 * @param startedAt RFC 3339 (null when unknown)
 * @param succeeded whether it produced a complete backup
 * @param errors what it reported, in order
 */
public record BackupRun(String source, String id, String status, String startedAt, boolean succeeded, List<BackupError> errors) {
  public BackupRun {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }
}
