package io.pgrunbooks.workflows.backup;

import io.pgrunbooks.workflows.common.RunProgress;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;

/** Dump one database into the store, then record the outcome for the alert's metrics. */
public class BackupDatabaseWorkflowImpl implements BackupDatabaseWorkflow {

  private final BackupActivities dump =
      Workflow.newActivityStub(BackupActivities.class, BackupTimeouts.DUMP);

  private final BackupActivities quick =
      Workflow.newActivityStub(BackupActivities.class, BackupTimeouts.QUICK);

  @Override
  public DatabaseBackup backup(DatabaseBackupRequest request) {
    BackupPlan plan = request.plan();
    String database = request.database();

    // 1. pg_dump | [zstd] | openssl enc | sha256 | multipart upload, one stream, no temp file.
    RunProgress.enter(
        "dump", "pg_dump of " + database + " to s3://" + plan.bucket() + "/" + plan.objectKey(database));
    DatabaseBackup result;
    try {
      result = dump.backupDatabase(plan, database);
    } catch (ActivityFailure failure) {
      result =
          DatabaseBackup.failed(
              database, plan.objectKey(database), attempts(failure), type(failure), message(failure));
    }

    // 2. The alert's metrics (postgres_backup_last_success_timestamp, postgres_backup_errors_total).
    quick.recordBackupOutcome(plan.target(), database, result.succeeded(), result.errorType());
    RunProgress.enter(
        "done",
        result.succeeded()
            ? database + " backed up: " + result.sizeBytes() + " bytes, sha256 " + result.sha256()
            : database + " failed: " + result.error());
    return result;
  }

  private static String type(ActivityFailure failure) {
    return failure.getCause() instanceof ApplicationFailure app ? app.getType() : failure.getCause().getClass().getSimpleName();
  }

  private static String message(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    return cause instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(cause);
  }

  private static int attempts(ActivityFailure failure) {
    // The failure does not carry the attempt count; the retry state says whether retries ran out.
    return switch (failure.getRetryState()) {
      case RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED -> BackupTimeouts.DUMP.getRetryOptions().getMaximumAttempts();
      default -> 1;
    };
  }
}
