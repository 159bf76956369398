package io.pgrunbooks.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The real Prometheus (Debian's {@code prometheus} package, {@code /usr/bin/prometheus}) on a free
 * loopback port, scraping one target every second, with its config and TSDB in a temp directory
 * removed by {@link #close()}. {@link #promtool()} is the package's rule checker.
 */
public final class PrometheusServer extends LoopbackServer {
  static final Path BINARY = Path.of("/usr/bin/prometheus");
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final ObjectMapper JSON = new ObjectMapper();

  private PrometheusServer(Process process, int port, Path directory) {
    super("prometheus", process, port, directory);
  }

  /** True when the package is installed (scripts/lib.sh ensure_packages installs it). */
  public static boolean installed() {
    return Files.isExecutable(BINARY) && Files.isExecutable(PROMTOOL);
  }

  public static Path promtool() {
    return PROMTOOL;
  }

  /**
   * Starts Prometheus scraping {@code metricsPath} on {@code 127.0.0.1:targetPort} every second
   * under job {@code pgrunbooks}, and waits until it is ready.
   */
  public static PrometheusServer start(int targetPort, String metricsPath) {
    return inTempDirectory("pgrb-prometheus-", dir -> {
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          """
          global:
            scrape_interval: 1s
            evaluation_interval: 1s
          scrape_configs:
            - job_name: pgrunbooks
              metrics_path: %s
              static_configs:
                - targets: ["127.0.0.1:%d"]
          """
              .formatted(metricsPath, targetPort));
      int port = Processes.freePort();
      Process process = launch("prometheus", List.of(
          BINARY.toString(),
          "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port,
          "--log.level=warn"), dir);
      PrometheusServer server = new PrometheusServer(process, port, dir);
      server.awaitReady(Duration.ofSeconds(60));
      return server;
    });
  }

  /** The result array of an instant query. */
  public JsonNode query(String promql) {
    JsonNode body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (body == null || !"success".equals(body.path("status").asText())) {
      throw new IllegalStateException("query " + promql + " failed: " + body);
    }
    return body.path("data").path("result");
  }

  /** Polls the query until its result satisfies the condition, or fails with the last result. */
  public JsonNode awaitQuery(String promql, Predicate<JsonNode> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode result = null;
    while (System.nanoTime() < deadline) {
      result = query(promql);
      if (condition.test(result)) {
        return result;
      }
      Processes.sleep(200);
    }
    throw new IllegalStateException("after " + timeout + ", " + promql + " gives " + result);
  }

  private JsonNode get(String path) {
    try {
      return JSON.readTree(send(request(path).GET().build()).body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
