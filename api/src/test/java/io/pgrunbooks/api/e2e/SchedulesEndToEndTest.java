package io.pgrunbooks.api.e2e;

import static io.pgrunbooks.api.e2e.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.JavaProcess;
import io.pgrunbooks.harness.Processes;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.schedules.ScheduleClient;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Regular maintenance as a Temporal Schedule created over the API, instead of the seed's CronJob. */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SchedulesEndToEndTest {
  private static final String BODY =
      "{\"cron\":\"0 2 * * 0\",\"run\":{\"runbook\":\"run-maintenance\",\"target\":\"demo\",\"databases\":[\"link_chat\"]}}";

  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
  }

  @Test
  void aWeeklyMaintenanceScheduleIsCreatedListedRunAndDeleted() throws Exception {
    Http http = new Http(port);
    StackFixture.demo();
    Http.Response created = http.post("/api/schedules", StackFixture.OPERATOR_TOKEN, BODY);
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.body().get("scheduleId").asText()).isEqualTo("run-maintenance/demo");
    assertThat(created.body().get("workflowType").asText()).isEqualTo("RunMaintenance");
    assertThat(created.body().get("note").asText()).isEqualTo("created by alice");
    JsonNode next = created.body().get("nextRuns");
    assertThat(next).hasSize(3);
    for (JsonNode t : next) {
      var at = Instant.parse(t.asText()).atZone(ZoneOffset.UTC);
      assertThat(at.getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
      assertThat(at.getHour()).isEqualTo(2);
      assertThat(at.getMinute()).isZero();
    }
    assertProblem(http.post("/api/schedules", StackFixture.OPERATOR_TOKEN, BODY), 409, "exists; delete it first");
    JsonNode listed = http.get("/api/schedules", StackFixture.VIEWER_TOKEN).body();
    assertThat(listed.findValuesAsText("scheduleId")).contains("run-maintenance/demo");

    // What the schedule starts, started now (as the Web UI's "Trigger" does), on the real worker.
    JavaProcess worker = StackFixture.startWorker();
    try {
      ScheduleClient.newInstance(StackFixture.service()).getHandle("run-maintenance/demo").trigger();
      WorkflowClient client = WorkflowClient.newInstance(StackFixture.service());
      WorkflowExecutionMetadata run = null;
      for (int i = 0; i < 600 && run == null; i++) {
        run = client.listExecutions("WorkflowType = 'RunMaintenance' AND ExecutionStatus = 'Completed'").findFirst().orElse(null);
        Processes.sleep(100);
      }
      assertThat(run).as("a completed RunMaintenance run").isNotNull();
      assertThat(run.getExecution().getWorkflowId()).startsWith("run-maintenance/demo/scheduled");
      JsonNode result = client.newUntypedWorkflowStub(run.getExecution().getWorkflowId()).getResult(JsonNode.class);
      assertThat(result.at("/databases/0/database").asText()).isEqualTo("link_chat");
      assertThat(result.at("/databases/0/tables").asInt()).isPositive();
      assertThat(result.at("/databases/0/error").isNull()).as(result.toString()).isTrue();
    } finally {
      worker.close();
    }

    assertThat(http.delete("/api/schedules/run-maintenance/demo", StackFixture.OPERATOR_TOKEN).status()).isEqualTo(204);
    assertThat(http.get("/api/schedules", StackFixture.VIEWER_TOKEN).body().findValuesAsText("scheduleId"))
        .doesNotContain("run-maintenance/demo");
  }

  @Test
  void destructiveRunbooksCannotBeScheduledAndBadInputIsA400() {
    Http http = new Http(port);
    assertProblem(http.post("/api/schedules", StackFixture.OPERATOR_TOKEN,
        "{\"cron\":\"0 2 * * 0\",\"run\":{\"runbook\":\"restore-from-backup\",\"target\":\"demo\",\"database\":\"link_users\"}}"),
        400, "cannot be scheduled; these can: [backup-databases, run-maintenance, verify-backup]");
    assertProblem(http.post("/api/schedules", StackFixture.OPERATOR_TOKEN,
        "{\"cron\":\"every sunday\",\"run\":{\"runbook\":\"run-maintenance\",\"target\":\"demo\"}}"), 400, "five fields");
    assertProblem(http.post("/api/schedules", StackFixture.VIEWER_TOKEN, BODY), 403, "operator");
    assertThat(List.of(http.delete("/api/schedules/run-maintenance/nope", StackFixture.OPERATOR_TOKEN).status())).containsExactly(404);
  }
}
