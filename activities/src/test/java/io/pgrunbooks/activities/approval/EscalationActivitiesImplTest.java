package io.pgrunbooks.activities.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.workflows.approval.EscalationNotice;
import io.pgrunbooks.workflows.approval.OnTimeout;
import io.temporal.failure.ApplicationFailure;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EscalationActivitiesImplTest {
  private HttpServer webhook;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private static final EscalationNotice NOTICE =
      new EscalationNotice("restore-from-backup/link/20261122-101500", "scale-down", "scale api-gateway 3 -> 0", 7200, OnTimeout.KEEP_WAITING);

  @BeforeEach
  void server() throws Exception {
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext("/hook", exchange -> {
      received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    webhook.start();
  }

  @AfterEach
  void stop() {
    webhook.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook";
  }

  @Test
  void anEscalationCountsAndPostsTheNoticeToTheWebhook() {
    new EscalationActivitiesImpl(meters, url()).escalate(NOTICE);
    assertThat(meters.counter("pgrunbooks.approval.escalations", "gate", "scale-down").count()).isEqualTo(1);
    assertThat(received).singleElement().asString()
        .contains("\"gateId\":\"scale-down\"").contains("\"waitedSeconds\":7200").contains("scale api-gateway 3 -> 0");
  }

  @Test
  void withoutAWebhookItStillLogsAndCounts() {
    new EscalationActivitiesImpl(meters, "").escalate(NOTICE);
    assertThat(meters.counter("pgrunbooks.approval.escalations", "gate", "scale-down").count()).isEqualTo(1);
    assertThat(received).isEmpty();
  }

  @Test
  void aWebhookThatFailsIsARetryableFailure() {
    status = 503;
    assertThatThrownBy(() -> new EscalationActivitiesImpl(meters, url()).escalate(NOTICE))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("503")
        .satisfies(e -> assertThat(((ApplicationFailure) e).isNonRetryable()).isFalse());
    assertThatThrownBy(() -> new EscalationActivitiesImpl(meters, "http://127.0.0.1:" + Processes.freePort() + "/hook").escalate(NOTICE))
        .hasMessageContaining("unreachable");
  }
}
