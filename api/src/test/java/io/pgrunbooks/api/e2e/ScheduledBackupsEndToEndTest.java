package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.JavaProcess;
import io.pgrunbooks.harness.Processes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The seed's scheduled backups and restore tests as Temporal Schedules, on a shortened interval:
 * the backup schedule comes from configuration (created when the API starts), the verification's
 * is created over the API; both run on the real worker, and the verification checks a backup the
 * schedule made.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ScheduledBackupsEndToEndTest {
  private static final String BACKUPS = "backup-databases/demo";
  private static final String VERIFICATIONS = "verify-backup/demo";

  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
    registry.add("pgrunbooks.schedules[0].interval-seconds", () -> "15");
    registry.add("pgrunbooks.schedules[0].run.runbook", () -> "backup-databases");
    registry.add("pgrunbooks.schedules[0].run.target", () -> "demo");
  }

  @Test
  void aConfiguredBackupScheduleAndAnApiCreatedVerificationScheduleRunOnTheWorker() {
    Http http = new Http(port);
    StackFixture.demo();
    JavaProcess worker = null;
    try {
      JsonNode listed = http.get("/api/schedules", StackFixture.VIEWER_TOKEN).body();
      JsonNode backups = schedule(listed, BACKUPS).orElseThrow(() -> new AssertionError("no " + BACKUPS + " in " + listed));
      assertThat(backups.get("cron").get(0).asText()).isEqualTo("every 15 s");
      assertThat(backups.get("note").asText()).isEqualTo("created by configuration");

      Http.Response created = http.post("/api/schedules", StackFixture.OPERATOR_TOKEN,
          "{\"intervalSeconds\":15,\"run\":{\"runbook\":\"verify-backup\",\"target\":\"demo\"}}");
      assertThat(created.status()).as(created.raw()).isEqualTo(201);
      assertThat(created.body().get("scheduleId").asText()).isEqualTo(VERIFICATIONS);
      Problems.assertProblem(http.post("/api/schedules", StackFixture.OPERATOR_TOKEN,
          "{\"intervalSeconds\":5,\"run\":{\"runbook\":\"verify-backup\",\"target\":\"demo\"}}"), 400, "between 10 and");

      worker = StackFixture.startWorker();
      WorkflowClient client = WorkflowClient.newInstance(StackFixture.service());
      WorkflowExecutionMetadata backup = awaitCompleted(client, "BackupDatabases", BACKUPS + "/scheduled", Instant.EPOCH);
      JsonNode backupResult = client.newUntypedWorkflowStub(backup.getExecution().getWorkflowId()).getResult(JsonNode.class);
      assertThat(backupResult.get("latestMoved").asBoolean()).as(backupResult.toString()).isTrue();
      WorkflowExecutionMetadata verify = awaitCompleted(client, "VerifyBackup", VERIFICATIONS + "/scheduled", backup.getCloseTime());
      JsonNode verified = client.newUntypedWorkflowStub(verify.getExecution().getWorkflowId()).getResult(JsonNode.class);
      assertThat(verified.get("passed").asBoolean()).as(verified.toString()).isTrue();
      assertThat(verified.get("objects")).isNotEmpty();
    } finally {
      // The schedules would go on starting runs against the shared demo target.
      http.delete("/api/schedules/" + BACKUPS, StackFixture.OPERATOR_TOKEN);
      http.delete("/api/schedules/" + VERIFICATIONS, StackFixture.OPERATOR_TOKEN);
      if (worker != null) {
        worker.close();
      }
    }
    assertThat(schedule(http.get("/api/schedules", StackFixture.VIEWER_TOKEN).body(), BACKUPS)).isEmpty();
  }

  private static Optional<JsonNode> schedule(JsonNode list, String id) {
    for (JsonNode s : list) {
      if (s.get("scheduleId").asText().equals(id)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The first completed run of {@code type} whose id starts with {@code prefix} and that started after {@code after}. */
  private static WorkflowExecutionMetadata awaitCompleted(WorkflowClient client, String type, String prefix, Instant after) {
    for (int i = 0; i < 1800; i++) {
      Optional<WorkflowExecutionMetadata> run = client
          .listExecutions("WorkflowType = '" + type + "' AND ExecutionStatus = 'Completed'")
          .filter(r -> r.getExecution().getWorkflowId().startsWith(prefix) && r.getStartTime().isAfter(after))
          .findFirst();
      if (run.isPresent()) {
        return run.get();
      }
      Processes.sleep(100);
    }
    throw new AssertionError("no completed " + type + " started by its schedule within 3 minutes");
  }
}
