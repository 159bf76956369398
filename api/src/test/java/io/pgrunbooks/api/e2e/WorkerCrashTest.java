package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.JavaProcess;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.RunHistory;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The property the project exists for: a worker process SIGKILLed in the middle of an activity,
 * and the run completes on a freshly started worker with the right result.
 *
 * <p>To be sure the kill lands mid-activity, the database's postmaster is SIGSTOPped first: the
 * readiness probe's connection is accepted by the kernel but never answered, so the activity hangs
 * (as it would against a hung server) until the worker is killed. The database is resumed before
 * the new worker starts, so the retried probe finds it healthy.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WorkerCrashTest {
  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
  }

  @Test
  void aRunWhoseWorkerIsKilledMidActivityCompletesOnANewWorker() throws Exception {
    PostgresCluster db = StackFixture.demo();
    Http http = new Http(port);
    JavaProcess first = StackFixture.startWorker();
    JavaProcess second = null;
    long postmaster = db.postmasterPid();
    String id;
    try {
      Processes.signal(postmaster, "STOP");
      Http.Response started =
          http.post("/api/runs", StackFixture.OPERATOR_TOKEN, "{\"runbook\":\"assess-database-health\",\"target\":\"demo\"}");
      assertThat(started.status()).as(started.raw()).isEqualTo(202);
      id = started.body().get("workflowId").asText();

      PendingActivityInfo inFlight =
          RunHistory.awaitActivityStarted(StackFixture.service(), id, "CheckReadiness", Duration.ofSeconds(10));
      assertThat(inFlight.getLastWorkerIdentity()).startsWith(first.pid() + "@");

      first.kill();
    } finally {
      Processes.signal(postmaster, "CONT");
    }
    try {
      second = StackFixture.startWorker();

      Http.Response status = http.get("/api/runs/" + id + "?wait=60", StackFixture.VIEWER_TOKEN);
      JsonNode run = status.body();
      assertThat(run.get("status").asText()).as(status.raw()).isEqualTo("COMPLETED");
      assertThat(run.at("/result/findings/readiness/state").asText()).isEqualTo("ACCEPTING");
      assertThat(run.at("/result/severity").asText()).as(status.raw()).isEqualTo("NONE");

      // The readiness probe that completed was a retry, run by the new worker.
      HistoryEvent readinessStarted = RunHistory.activityStarted(client().fetchHistory(id).getEvents(), "CheckReadiness");
      assertThat(readinessStarted.getActivityTaskStartedEventAttributes().getAttempt()).isGreaterThanOrEqualTo(2);
      assertThat(readinessStarted.getActivityTaskStartedEventAttributes().getIdentity()).startsWith(second.pid() + "@");
      Histories.save(id, "assess-after-worker-crash");
    } finally {
      if (second != null) {
        second.close();
      }
    }
  }

  private static WorkflowClient client() {
    return WorkflowClient.newInstance(
        StackFixture.service(), WorkflowClientOptions.newBuilder().setNamespace("default").build());
  }
}
