package io.pgrunbooks.workflows.backupfailure;

import io.pgrunbooks.workflows.backup.BackupDatabasesWorkflow;
import io.pgrunbooks.workflows.backup.BackupFormat;
import io.pgrunbooks.workflows.backup.BackupRequest;
import io.pgrunbooks.workflows.backup.BackupRunResult;
import io.pgrunbooks.workflows.backup.BackupStatus;
import io.pgrunbooks.workflows.backup.DatabaseBackup;
import io.pgrunbooks.workflows.backup.VerificationResult;
import io.pgrunbooks.workflows.backup.VerifyBackupWorkflow;
import io.pgrunbooks.workflows.backup.VerifyRequest;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/** Stand-ins for the backup children: a backup that takes {@link #backupTakes}, a verification that passes. */
final class FakeBackupChildren {
  static volatile Duration backupTakes = Duration.ZERO;
  static final String METADATA = "postgres-backups/20261129_210000/metadata.json";

  private FakeBackupChildren() {}

  /** A test environment with the runbook and these children registered, started by the test once its activities are. */
  static TestWorkflowExtension withTheRunbook() {
    return TestWorkflowExtension.newBuilder()
        .registerWorkflowImplementationTypes(RespondToBackupFailureWorkflowImpl.class, Backup.class, Verify.class)
        .setDoNotStart(true)
        .build();
  }

  public static class Backup implements BackupDatabasesWorkflow {
    @Override
    public BackupRunResult backup(BackupRequest request) {
      if (!backupTakes.isZero()) {
        Workflow.sleep(backupTakes);
      }
      return new BackupRunResult(request.target(), "20261129_210000", BackupFormat.COMPATIBLE, "k1", METADATA, true,
          List.of(new DatabaseBackup("app", BackupStatus.SUCCEEDED, "postgres-backups/x-app.sql.enc", "m", 10, "ab", 20, 1, 3, 5, 1,
              null, null)),
          "2026-11-29T21:00:00Z", "2026-11-29T21:00:05Z", null);
    }
  }

  public static class Verify implements VerifyBackupWorkflow {
    @Override
    public VerificationResult verify(VerifyRequest request) {
      return new VerificationResult(request.target(), request.metadataKey(), true, List.of());
    }
  }
}
