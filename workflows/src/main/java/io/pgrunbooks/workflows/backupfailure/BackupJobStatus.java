package io.pgrunbooks.workflows.backupfailure;

import java.util.List;

/**
 * Step 2, "Check Backup Job Status": recent runs, newest first.
 *
 * @param runs this service's BackupDatabases runs of the target and, on kubernetes, the backup Jobs
 * @param newestJobLog the tail of the newest Job's log (null: no Job, or not kubernetes)
 * @param problems what could not be read (e.g. visibility unavailable), for a person
 */
public record BackupJobStatus(List<BackupRun> runs, String newestJobLog, List<String> problems) {
  public BackupJobStatus {
    runs = runs == null ? List.of() : List.copyOf(runs);
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** Every error of every run, newest run first. */
  public List<BackupError> errors() {
    return runs.stream().flatMap(r -> r.errors().stream()).toList();
  }
}
