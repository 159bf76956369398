package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.JavaProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * POST a run over HTTP; the real Temporal dev server; the real worker jar in its own JVM; a real
 * PostgreSQL cluster; read the result over HTTP.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AssessmentEndToEndTest {
  private static JavaProcess worker;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
  }

  @BeforeAll
  static void startWorker() {
    worker = StackFixture.startWorker();
  }

  @AfterAll
  static void stopWorker() {
    worker.close();
  }

  @Test
  void anAssessmentStartedOverRestCompletesAndItsResultIsReadOverRest() {
    Http http = new Http(port);
    Http.Response started =
        http.post("/api/runs", StackFixture.OPERATOR_TOKEN, "{\"runbook\":\"assess-database-health\",\"target\":\"demo\"}");

    assertThat(started.status()).as(started.raw()).isEqualTo(202);
    String id = started.body().get("workflowId").asText();
    assertThat(id).matches("assess-database-health/demo/\\d{8}-\\d{6}(-\\d+)?");
    assertThat(started.body().get("requestedBy").asText()).isEqualTo("alice");
    assertThat(started.body().get("webUiUrl").asText()).contains("/namespaces/default/workflows/");

    Http.Response status = http.get(started.body().get("statusUrl").asText() + "?wait=30", StackFixture.VIEWER_TOKEN);
    assertThat(status.status()).as(status.raw()).isEqualTo(200);
    JsonNode run = status.body();
    assertThat(run.get("status").asText()).as(status.raw()).isEqualTo("COMPLETED");
    assertThat(run.get("runbook").asText()).isEqualTo("AssessDatabaseHealth");
    assertThat(run.get("target").asText()).isEqualTo("demo");
    assertThat(run.get("requestedBy").asText()).isEqualTo("alice");
    assertThat(run.get("phase").asText()).isEqualTo("done");
    JsonNode result = run.get("result");
    assertThat(result.get("severity").asText()).as(status.raw()).isEqualTo("NONE");
    assertThat(result.get("requestedBy").asText()).isEqualTo("alice");
    assertThat(result.at("/findings/readiness/state").asText()).isEqualTo("ACCEPTING");
    assertThat(result.at("/findings/server/version").asText()).startsWith("PostgreSQL ");
    assertThat(result.at("/findings/storage/path").asText())
        .isEqualTo(StackFixture.demo().dataDirectory().toString());
    assertThat(result.get("checks")).hasSize(10);
    Histories.save(id, "assess-healthy-host");

    // A read-only runbook has no gates: its audit view is empty, not an error.
    Http.Response approvals = http.get("/api/approvals/" + id, StackFixture.VIEWER_TOKEN);
    assertThat(approvals.status()).as(approvals.raw()).isEqualTo(200);
    assertThat(approvals.body().get("gates")).isEmpty();
    assertThat(run.get("awaitingApproval")).isEmpty();

    Http.Response recent = http.get("/api/runs?runbook=assess-database-health&target=demo", StackFixture.VIEWER_TOKEN);
    assertThat(recent.status()).isEqualTo(200);
    // Visibility is eventually consistent: the run is listed once the server indexed it.
    assertThat(listed(http, id)).as("run %s listed", id).isTrue();
  }

  private static boolean listed(Http http, String id) {
    for (int i = 0; i < 50; i++) {
      Http.Response recent = http.get("/api/runs?target=demo&limit=50", StackFixture.VIEWER_TOKEN);
      for (JsonNode r : recent.body()) {
        if (r.get("workflowId").asText().equals(id)) {
          return true;
        }
      }
      io.pgrunbooks.harness.Processes.sleep(100);
    }
    return false;
  }

  @Test
  void theCatalogListsTheAssessment() {
    Http.Response catalog = new Http(port).get("/api/runbooks", StackFixture.VIEWER_TOKEN);
    assertThat(catalog.status()).isEqualTo(200);
    assertThat(catalog.body().findValuesAsText("name")).contains("assess-database-health");
    assertThat(catalog.body().findValuesAsText("workflowType")).contains("AssessDatabaseHealth");
  }
}
