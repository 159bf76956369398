package io.pgrunbooks.workflows.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.workflows.assessment.AssessDatabaseHealthWorkflowImpl;
import io.pgrunbooks.workflows.backup.BackupDatabaseWorkflowImpl;
import io.pgrunbooks.workflows.backup.BackupDatabasesWorkflowImpl;
import io.pgrunbooks.workflows.backup.VerifyBackupWorkflowImpl;
import io.pgrunbooks.workflows.common.StepSummaries;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The determinism gate: histories recorded from real runs on the real Temporal server (by the api
 * module's end-to-end tests, which save them under api/target/histories/) replay against today's
 * workflow code. A change that would break running workflows fails here; guard it with
 * Workflow.getVersion and record a new history beside the old one. The replaying worker has the
 * production worker's interceptors ({@link StepSummaries}), so they are held to the same gate.
 */
class ReplayTest {
  private static final TestWorkflowEnvironment ENV =
      TestWorkflowEnvironment.newInstance(
          TestEnvironmentOptions.newBuilder()
              .setWorkerFactoryOptions(
                  WorkerFactoryOptions.newBuilder().setWorkerInterceptors(new StepSummaries()).build())
              .build());

  @AfterAll
  static void close() {
    ENV.close();
  }

  @TestFactory
  Stream<DynamicTest> recordedHistoriesReplayWithTheCurrentCode() throws Exception {
    Path dir = Paths.get(ReplayTest.class.getResource("/histories").toURI());
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).as("recorded histories").isNotEmpty();
    Worker worker = ENV.newWorker("replay");
    worker.registerWorkflowImplementationTypes(
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
        io.pgrunbooks.workflows.slowqueries.ResolveSlowQueriesWorkflowImpl.class);
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> WorkflowReplayer.replayWorkflowExecution(read(file), worker)));
  }

  private static WorkflowExecutionHistory read(Path file) throws IOException {
    return WorkflowExecutionHistory.fromJson(Files.readString(file, StandardCharsets.UTF_8));
  }
}
