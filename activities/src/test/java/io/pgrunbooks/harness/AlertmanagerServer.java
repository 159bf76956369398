package io.pgrunbooks.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real Alertmanager (Debian's {@code prometheus-alertmanager}) on a free loopback port, without
 * clustering, routing every alert to one webhook receiver that sends a bearer token, with resolves.
 * Its timing is short for tests: group_wait and group_interval 1 s, repeat_interval as given, so a
 * firing alert is notified about a second after it is posted and repeated every repeat interval.
 * Config and state live in a temp directory removed by {@link #close()}; its log is at debug
 * level (every notification it sent, and how the receiver answered).
 */
public final class AlertmanagerServer extends LoopbackServer {
  static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertmanagerServer(Process process, int port, Path directory) {
    super("alertmanager", process, port, directory);
  }

  /** True when the package is installed (scripts/lib.sh ensure_packages installs it). */
  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /**
   * Starts Alertmanager with one receiver, a webhook to {@code webhookUrl} with {@code Authorization:
   * Bearer <token>}, and waits until it is ready.
   */
  public static AlertmanagerServer start(String webhookUrl, String bearerToken, Duration repeatInterval) {
    return inTempDirectory("pgrb-alertmanager-", dir -> {
      Path config = dir.resolve("alertmanager.yml");
      Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(
          config,
          """
          route:
            receiver: pg-runbooks
            group_by: [alertname, target]
            group_wait: 1s
            group_interval: 1s
            repeat_interval: %ds
          receivers:
            - name: pg-runbooks
              webhook_configs:
                - url: %s
                  send_resolved: true
                  http_config:
                    authorization:
                      type: Bearer
                      credentials: %s
          """
              .formatted(repeatInterval.toSeconds(), JSON.writeValueAsString(webhookUrl), JSON.writeValueAsString(bearerToken)));
      int port = Processes.freePort();
      // --cluster.listen-address= (empty): no gossip cluster, nothing listens but the web port.
      Process process = launch("alertmanager", List.of(
          BINARY.toString(),
          "--config.file=" + config,
          "--storage.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port,
          "--cluster.listen-address=",
          "--log.level=debug"), dir);
      AlertmanagerServer server = new AlertmanagerServer(process, port, dir);
      server.awaitReady(Duration.ofSeconds(60));
      return server;
    });
  }

  /**
   * Posts one alert as Prometheus would ({@code POST /api/v2/alerts}); an {@code endsAt} in the past
   * resolves it, null leaves it firing (until Alertmanager's resolve_timeout, 5 minutes).
   */
  public void postAlert(Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt) {
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("labels", labels);
    alert.put("annotations", annotations);
    alert.put("startsAt", startsAt.toString());
    if (endsAt != null) {
      alert.put("endsAt", endsAt.toString());
    }
    alert.put("generatorURL", "http://prometheus.test/graph");
    String json;
    try {
      json = JSON.writeValueAsString(List.of(alert));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HttpResponse<String> r = send(request("/api/v2/alerts").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("Alertmanager refused the alert: " + r.statusCode() + " " + r.body());
    }
  }
}
