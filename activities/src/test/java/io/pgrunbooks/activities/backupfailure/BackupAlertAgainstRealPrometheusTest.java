package io.pgrunbooks.activities.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pgrunbooks.activities.backup.BackupMetrics;
import io.pgrunbooks.harness.PrometheusServer;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.workflows.backupfailure.BackupAlert;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Step 1 against the real Prometheus, scraping every second what the worker serves at {@code
 * /actuator/prometheus}: the project's own {@link BackupMetrics} in a Micrometer {@link
 * PrometheusMeterRegistry}, served by a small HTTP server in the test.
 */
class BackupAlertAgainstRealPrometheusTest {
  static final long HOURS_30 = Duration.ofHours(30).toSeconds();

  static PrometheusMeterRegistry registry;
  static HttpServer worker;
  static PrometheusServer prometheus;
  static long staleSuccess;

  @BeforeAll
  static void start() throws IOException {
    assumeThat(PrometheusServer.installed()).as("Debian's prometheus package (scripts/lib.sh installs it)").isTrue();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BackupMetrics metrics = new BackupMetrics(registry);
    // main: two failures, a fresh success of one database and one 30 h old of the other.
    metrics.failed("main", "link_users", "ConnectionRefused");
    metrics.failed("main", "link_chat", "AccessDenied");
    metrics.succeeded("main", "link_users");
    staleSuccess = Instant.now().getEpochSecond() - HOURS_30;
    metrics.restore("main", "link_chat", staleSuccess);
    // other: a fresh success and more failures, which must not leak into main's answer.
    metrics.succeeded("other", "app");
    for (int i = 0; i < 5; i++) {
      metrics.failed("other", "app", "Unknown");
    }
    // fresh: only fresh successes, no errors.
    metrics.succeeded("fresh", "app");

    worker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    worker.createContext(
        "/actuator/prometheus",
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    worker.start();
    prometheus = PrometheusServer.start(worker.getAddress().getPort(), "/actuator/prometheus");
    prometheus.awaitQuery(
        "count(postgres_backup_last_success_timestamp) + count(postgres_backup_errors_total)",
        result -> result.size() == 1 && result.get(0).path("value").path(1).asText().equals("7"),
        Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (worker != null) {
      worker.stop(0);
    }
  }

  @Test
  void theTargetsErrorsAndItsOldestLastSuccessAgainst24Hours() {
    BackupAlert alert = new BackupAlertActivitiesImpl(prometheus.url(), 24).readBackupAlert("main");

    assertThat(alert.problem()).isNull();
    assertThat(alert.prometheusUrl()).isEqualTo(prometheus.url());
    assertThat(alert.errorsTotal()).isEqualTo(2.0);
    assertThat(alert.lastSuccessAt()).isEqualTo(Instant.ofEpochSecond(staleSuccess).toString());
    assertThat(alert.lastSuccessAgeSeconds()).isBetween(HOURS_30, HOURS_30 + 120);
    assertThat(alert.allowedAgeSeconds()).isEqualTo(86_400);
    assertThat(alert.overdue()).isTrue();
  }

  @Test
  void aFreshSuccessIsNotOverdueAndNoErrorSeriesIsNoErrors() {
    BackupAlert alert = new BackupAlertActivitiesImpl(prometheus.url() + "/", 24).readBackupAlert("fresh");

    assertThat(alert.problem()).isNull();
    assertThat(alert.errorsTotal()).isNull();
    assertThat(alert.lastSuccessAgeSeconds()).isBetween(0L, 120L);
    assertThat(alert.overdue()).isFalse();
  }

  @Test
  void theAllowedAgeIsConfigurable() {
    BackupAlert alert = new BackupAlertActivitiesImpl(prometheus.url(), 48).readBackupAlert("main");

    assertThat(alert.allowedAgeSeconds()).isEqualTo(Duration.ofHours(48).toSeconds());
    assertThat(alert.overdue()).isFalse();
  }

  @Test
  void aTargetPrometheusKnowsNothingOfHasNoSuccessAndIsOverdue() {
    BackupAlert alert = new BackupAlertActivitiesImpl(prometheus.url(), 24).readBackupAlert("nobody \"quoted\"");

    assertThat(alert.problem()).isNull();
    assertThat(alert.errorsTotal()).isNull();
    assertThat(alert.lastSuccessAt()).isNull();
    assertThat(alert.lastSuccessAgeSeconds()).isNull();
    assertThat(alert.overdue()).isTrue();
  }

  @Test
  void aPrometheusThatIsDownIsAProblemWithTheMessage() {
    String down = "http://127.0.0.1:" + Processes.freePort();
    BackupAlert alert = new BackupAlertActivitiesImpl(down, 24).readBackupAlert("main");

    assertThat(alert.prometheusUrl()).isEqualTo(down);
    assertThat(alert.problem()).startsWith("Prometheus at " + down + " cannot be reached: ").doesNotContain("\tat ");
    assertThat(alert.errorsTotal()).isNull();
    assertThat(alert.overdue()).isTrue();
  }

  @Test
  void noPrometheusConfiguredIsAProblem() {
    BackupAlert alert = new BackupAlertActivitiesImpl("", 24).readBackupAlert("main");

    assertThat(alert.prometheusUrl()).isNull();
    assertThat(alert.problem()).startsWith("no Prometheus configured");
    assertThat(alert.overdue()).isTrue();
  }

  @Test
  void somethingElseThanPrometheusAtTheUrlIsAProblem() {
    // The worker's metrics endpoint answers 404 with no JSON at /api/v1/query.
    String notPrometheus = "http://127.0.0.1:" + worker.getAddress().getPort();
    BackupAlert alert = new BackupAlertActivitiesImpl(notPrometheus, 24).readBackupAlert("main");

    assertThat(alert.problem()).startsWith("Prometheus at " + notPrometheus + " answered 404");
  }
}
