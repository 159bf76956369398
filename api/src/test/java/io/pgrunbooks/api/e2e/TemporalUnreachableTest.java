package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.Processes;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With the Temporal server down, the API says so with a 503 a person can act on, not a 500. */
@SpringBootTest(
    classes = ApiApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TemporalUnreachableTest {
  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
    int nothingListens = Processes.freePort();
    registry.add("spring.temporal.connection.target", () -> "127.0.0.1:" + nothingListens);
  }

  @Test
  void startingARunWhileTemporalIsDownIsA503() {
    Http.Response r =
        new Http(port)
            .post("/api/runs", StackFixture.OPERATOR_TOKEN, "{\"runbook\":\"assess-database-health\",\"target\":\"demo\"}");
    assertThat(r.status()).as(r.raw()).isEqualTo(503);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.body().get("detail").asText()).contains("Temporal server cannot be reached");
  }

  @Test
  void readingARunWhileTemporalIsDownIsA503() {
    Http.Response r = new Http(port).get("/api/runs/assess-database-health/demo/20260101-000000", StackFixture.VIEWER_TOKEN);
    assertThat(r.status()).as(r.raw()).isEqualTo(503);
  }
}
