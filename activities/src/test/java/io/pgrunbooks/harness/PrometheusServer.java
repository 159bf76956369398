package io.pgrunbooks.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
public final class PrometheusServer implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/prometheus");
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final int port;
  private final Path directory;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private PrometheusServer(Process process, int port, Path directory) {
    this.process = process;
    this.port = port;
    this.directory = directory;
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
    Path dir = null;
    try {
      dir = Files.createTempDirectory("pgrb-prometheus-");
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
      Process process =
          new ProcessBuilder(
                  List.of(
                      BINARY.toString(),
                      "--config.file=" + config,
                      "--storage.tsdb.path=" + dir.resolve("data"),
                      "--web.listen-address=127.0.0.1:" + port,
                      "--log.level=warn"))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      PrometheusServer server = new PrometheusServer(process, port, dir);
      server.awaitReady(Duration.ofSeconds(60));
      return server;
    } catch (IOException e) {
      if (dir != null) {
        Processes.removeTree(dir);
      }
      throw new UncheckedIOException(e);
    }
  }

  /** Its base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + port;
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

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited with " + process.exitValue() + ": " + log());
      }
      if (status("/-/ready") == 200) {
        return;
      }
      Processes.sleep(100);
    }
    close();
    throw new IllegalStateException("prometheus not ready after " + timeout + ": " + log());
  }

  private int status(String path) {
    try {
      return http.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException notYet) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private JsonNode get(String path) {
    try {
      return JSON.readTree(http.send(request(path), HttpResponse.BodyHandlers.ofString()).body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).GET().build();
  }

  private String log() {
    try {
      return Files.readString(directory.resolve("prometheus.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    try {
      Processes.stop(process, Duration.ofSeconds(20));
    } finally {
      Processes.removeTree(directory);
    }
  }
}
