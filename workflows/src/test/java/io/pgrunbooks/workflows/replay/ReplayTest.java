package io.pgrunbooks.workflows.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.workflows.assessment.AssessDatabaseHealthWorkflowImpl;
import io.pgrunbooks.workflows.backup.BackupDatabaseWorkflowImpl;
import io.pgrunbooks.workflows.backup.BackupDatabasesWorkflowImpl;
import io.pgrunbooks.workflows.backup.VerifyBackupWorkflowImpl;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The determinism gate: histories recorded from real runs on the real Temporal server (by the api
 * module's end-to-end tests, which save them under api/target/histories/) replay against today's
 * workflow code. A change that would break running workflows fails here; guard it with
 * Workflow.getVersion and record a new history beside the old one.
 */
class ReplayTest {

  @TestFactory
  Stream<DynamicTest> recordedHistoriesReplayWithTheCurrentCode() throws Exception {
    Path dir = Paths.get(ReplayTest.class.getResource("/histories").toURI());
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).as("recorded histories").isNotEmpty();
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () ->
                        WorkflowReplayer.replayWorkflowExecution(
                            read(file),
                            AssessDatabaseHealthWorkflowImpl.class,
                            BackupDatabasesWorkflowImpl.class,
                            BackupDatabaseWorkflowImpl.class,
                            VerifyBackupWorkflowImpl.class,
                            io.pgrunbooks.workflows.restore.RestoreFromBackupWorkflowImpl.class,
                            io.pgrunbooks.workflows.restore.DropRestoreLeftoverWorkflowImpl.class,
                            io.pgrunbooks.workflows.watch.WatchAfterIncidentWorkflowImpl.class,
                            io.pgrunbooks.workflows.validation.ValidateRecoveryWorkflowImpl.class,
                            io.pgrunbooks.workflows.maintenance.RunMaintenanceWorkflowImpl.class,
                            io.pgrunbooks.workflows.pitr.RecoverToPointInTimeWorkflowImpl.class,
                            io.pgrunbooks.workflows.connections.RelieveConnectionExhaustionWorkflowImpl.class,
                            io.pgrunbooks.workflows.disk.ReclaimDiskSpaceWorkflowImpl.class,
                            io.pgrunbooks.workflows.replication.RepairReplicationLagWorkflowImpl.class,
                            io.pgrunbooks.workflows.crashrecovery.RecoverCrashedPodWorkflowImpl.class,
                            io.pgrunbooks.workflows.diagnosis.DiagnoseDatabaseWorkflowImpl.class,
                            io.pgrunbooks.workflows.response.RespondToDatabaseFailureWorkflowImpl.class,
                            io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflowImpl.class,
                            io.pgrunbooks.workflows.slowqueries.ResolveSlowQueriesWorkflowImpl.class)));
  }

  private static WorkflowExecutionHistory read(Path file) throws IOException {
    return WorkflowExecutionHistory.fromJson(Files.readString(file, StandardCharsets.UTF_8));
  }
}
