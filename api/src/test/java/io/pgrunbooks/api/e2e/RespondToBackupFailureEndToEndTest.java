package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.JavaProcess;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.PrometheusServer;
import io.pgrunbooks.harness.S3ProxyServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The backup-failure runbook as it runs in production, over HTTP: a real backup fails (its bucket
 * does not exist), the real Prometheus scrapes the failure from the real worker's {@code
 * /actuator/prometheus}, and RespondToBackupFailure's step 1 reads it back from Prometheus. Step 2
 * finds the failed run in Temporal visibility, the error is classified, bob approves the bucket's
 * creation over the API, and the run backs up and verifies; Prometheus then shows the new success.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RespondToBackupFailureEndToEndTest {
  private static final String TARGET = "nightly";
  private static final String STORE = "e2e-nightly";
  private static final String BUCKET = "nightly-" + Long.toHexString(System.nanoTime());

  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
    registry.add("pgrunbooks.targets." + TARGET + ".hosting", () -> "host");
  }

  /** Target {@value #TARGET}: the demo cluster, backed up to a bucket nobody has created yet. */
  private static Map<String, String> workerOverrides(int metricsPort, String prometheusUrl) {
    Map<String, String> p = new HashMap<>(HostTargets.asProperties(TARGET, StackFixture.demo()));
    p.put("pgrunbooks.targets." + TARGET + ".databases[0]", "link_users");
    S3ProxyServer s3 = S3ProxyServer.shared();
    p.put("pgrunbooks.stores." + STORE + ".endpoint", s3.endpoint().toString());
    p.put("pgrunbooks.stores." + STORE + ".bucket", BUCKET);
    p.put("pgrunbooks.stores." + STORE + ".access-key-ref", s3.accessKeyRef());
    p.put("pgrunbooks.stores." + STORE + ".secret-key-ref", s3.secretKeyRef());
    p.put("pgrunbooks.targets." + TARGET + ".backup.store", STORE);
    p.put("pgrunbooks.targets." + TARGET + ".backup.key-ref", "file:" + StackFixture.backupKeyFile());
    p.put("pgrunbooks.artifacts.store", "e2e");
    p.put("pgrunbooks.prometheus.url", prometheusUrl);
    p.put("server.port", Integer.toString(metricsPort));
    return p;
  }

  @Test
  void aBackupFailureSeenByPrometheusIsClassifiedRepairedAfterApprovalBackedUpAndVerified() {
    assumeThat(PrometheusServer.installed()).as("Debian's prometheus package (scripts/lib.sh installs it)").isTrue();
    Http http = new Http(port);
    int metricsPort = Processes.freePort();
    long startedAt = Instant.now().getEpochSecond() - 1;
    try (PrometheusServer prometheus = PrometheusServer.start(metricsPort, "/actuator/prometheus");
        JavaProcess worker = StackFixture.startWorker(workerOverrides(metricsPort, prometheus.url()))) {
      // The nightly backup fails for real, and Prometheus sees it on its next scrape of the worker.
      JsonNode failed = E2eRuns.finished(http, http.post("/api/runs", StackFixture.OPERATOR_TOKEN,
          "{\"runbook\":\"backup-databases\",\"target\":\"" + TARGET + "\"}"));
      assertThat(failed.at("/result/databases/0/status").asText()).as(failed.toString()).isEqualTo("FAILED");
      assertThat(failed.at("/result/databases/0/errorType").asText()).isEqualTo("StorageNotFound");
      String errors = "postgres_backup_errors_total{target=\"" + TARGET + "\"}";
      prometheus.awaitQuery(errors, r -> r.size() > 0 && value(r.get(0)) >= 1, Duration.ofSeconds(60));

      // The alert's runbook, started over the API as Alertmanager's receiver would.
      Http.Response started = http.post("/api/runs", StackFixture.OPERATOR_TOKEN,
          "{\"runbook\":\"respond-to-backup-failure\",\"target\":\"" + TARGET + "\"}");
      assertThat(started.status()).as(started.raw()).isEqualTo(202);
      String id = started.body().get("workflowId").asText();
      E2eRuns.approve(http, started.body().get("statusUrl").asText(), id, "create-bucket", "new region: create it");
      JsonNode done = E2eRuns.finished(http, started);
      assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
      JsonNode r = done.get("result");

      // Step 1 read the real Prometheus: the error scraped from the worker, no success ever.
      JsonNode alert = r.get("alert");
      assertThat(alert.get("prometheusUrl").asText()).isEqualTo(prometheus.url());
      assertThat(alert.get("problem").isNull()).as(alert.toString()).isTrue();
      assertThat(alert.get("errorsTotal").asDouble()).isGreaterThanOrEqualTo(1);
      assertThat(alert.get("lastSuccessAt").isNull()).as("no backup of the target ever succeeded").isTrue();
      assertThat(alert.get("overdue").asBoolean()).isTrue();
      // Step 2 found the failed run; step 4 classified its error as the seed's S3 pattern.
      assertThat(text(r.at("/jobStatus/runs"), "id")).as(r.get("jobStatus").toString()).contains(failed.get("workflowId").asText());
      assertThat(text(r.get("classified"), "failureClass")).contains("S3");
      assertThat(r.get("status").asText()).as(r.get("report").asText()).isEqualTo("VERIFIED");
      assertThat(r.get("verified").asBoolean()).isTrue();
      assertThat(r.get("backupMetadataKey").asText()).endsWith("metadata.json");
      JsonNode approval = r.get("decisions").get(0);
      assertThat(approval.get("gateId").asText()).isEqualTo("create-bucket");
      assertThat(approval.get("decidedBy").asText()).isEqualTo("bob");

      // Step 8: the report, served by the API; and Prometheus has the new success.
      Http.Response markdown = http.get("/api/reports/" + id, StackFixture.VIEWER_TOKEN);
      assertThat(markdown.status()).isEqualTo(200);
      assertThat(markdown.raw()).isEqualTo(r.get("report").asText()).contains(r.get("backupMetadataKey").asText());
      prometheus.awaitQuery("postgres_backup_last_success_timestamp{target=\"" + TARGET + "\"}",
          s -> s.size() == 1 && value(s.get(0)) >= startedAt, Duration.ofSeconds(60));
      assertThat(worker.tail()).doesNotContain(StackFixture.BACKUP_PASSPHRASE);
      Histories.save(id, "respond-to-backup-failure");
    }
  }

  private static double value(JsonNode series) {
    return Double.parseDouble(series.get("value").get(1).asText());
  }

  private static List<String> text(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false).map(n -> n.path(field).asText()).toList();
  }
}
