package io.pgrunbooks.activities.backupfailure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgrunbooks.workflows.backupfailure.BackupAlert;
import io.pgrunbooks.workflows.backupfailure.BackupAlertActivities;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Step 1 of the backup-failure runbook, "Check Alert Details": the seed's two {@code curl
 * .../api/v1/query} calls, narrowed to the target with the {@code target} label that {@link
 * io.pgrunbooks.activities.backup.BackupMetrics} puts on both metrics (its other labels are {@code
 * database} and, on the errors, {@code error}).
 *
 * <p>The errors are summed over the target's series (every database and error type). The last
 * success is the <em>oldest</em> of the target's databases' last successes: the seed's alert fires
 * per database, so the target is overdue as soon as one of its databases is; reporting the newest
 * would hide a database whose backups stopped while the others go on.
 *
 * <p>Prometheus is read-only here and its answer is a finding, not a failure: a Prometheus that is
 * not configured, cannot be reached, or answers with an error gives {@link BackupAlert#problem()}
 * with what went wrong, and the run goes on with the other steps.
 */
@Component
public class BackupAlertActivitiesImpl implements BackupAlertActivities {
  static final String ERRORS_METRIC = "postgres_backup_errors_total";
  static final String LAST_SUCCESS_METRIC = "postgres_backup_last_success_timestamp";
  static final String NOT_CONFIGURED = "no Prometheus configured (pgrunbooks.prometheus.url)";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String prometheusUrl;
  private final long allowedAgeSeconds;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  @Autowired
  public BackupAlertActivitiesImpl(
      @Value("${pgrunbooks.prometheus.url:}") String prometheusUrl,
      @Value("${pgrunbooks.backup.max-age-hours:24}") long maxAgeHours) {
    this(prometheusUrl, maxAgeHours, Clock.systemUTC());
  }

  BackupAlertActivitiesImpl(String prometheusUrl, long maxAgeHours, Clock clock) {
    this.prometheusUrl = prometheusUrl == null || prometheusUrl.isBlank() ? null : stripSlash(prometheusUrl.strip());
    this.allowedAgeSeconds = Duration.ofHours(maxAgeHours).toSeconds();
    this.clock = clock;
  }

  @Override
  public BackupAlert readBackupAlert(String target) {
    if (target == null || target.isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure("no target given", "BadInput");
    }
    if (prometheusUrl == null) {
      return new BackupAlert(null, null, null, null, allowedAgeSeconds, true, NOT_CONFIGURED);
    }
    String selector = "{target=\"" + escape(target) + "\"}";
    try {
      Double errors = query("sum(" + ERRORS_METRIC + selector + ")");
      // A gauge at 0 has never been set: no success to report.
      Double oldest = query("min(" + LAST_SUCCESS_METRIC + selector + " > 0)");
      if (oldest == null || oldest.isNaN() || oldest.isInfinite()) {
        return new BackupAlert(prometheusUrl, errors, null, null, allowedAgeSeconds, true, null);
      }
      Instant lastSuccess = Instant.ofEpochSecond(oldest.longValue());
      long age = Math.max(0, clock.instant().getEpochSecond() - lastSuccess.getEpochSecond());
      return new BackupAlert(
          prometheusUrl, errors, lastSuccess.toString(), age, allowedAgeSeconds, age > allowedAgeSeconds, null);
    } catch (PrometheusProblem e) {
      return new BackupAlert(prometheusUrl, null, null, null, allowedAgeSeconds, true, e.getMessage());
    }
  }

  /** The single value of an instant query, null when it has no series. */
  private Double query(String promql) {
    URI uri = URI.create(prometheusUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new PrometheusProblem("Prometheus at " + prometheusUrl + " cannot be reached: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PrometheusProblem("interrupted while querying Prometheus at " + prometheusUrl);
    }
    JsonNode body = parse(response);
    if (!"success".equals(body.path("status").asText())) {
      throw new PrometheusProblem(
          "Prometheus at " + prometheusUrl + " answered " + response.statusCode() + " to " + promql + ": "
              + body.path("errorType").asText("") + " " + body.path("error").asText(""));
    }
    JsonNode result = body.path("data").path("result");
    if (!result.isArray() || result.isEmpty()) {
      return null;
    }
    String value = result.get(0).path("value").path(1).asText(null);
    try {
      return value == null ? null : Double.valueOf(value);
    } catch (NumberFormatException e) {
      throw new PrometheusProblem("Prometheus at " + prometheusUrl + " gave a value that is no number: " + value);
    }
  }

  private JsonNode parse(HttpResponse<String> response) {
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      String body = response.body() == null ? "" : response.body();
      throw new PrometheusProblem(
          "Prometheus at " + prometheusUrl + " answered " + response.statusCode() + " with no JSON: "
              + body.substring(0, Math.min(200, body.length())).strip());
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : "";
    }
    String type = e.getClass().getSimpleName();
    return message.isBlank() ? type : type + ": " + message;
  }

  /** A PromQL string literal's content: backslashes and double quotes escaped. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Why Prometheus gave no answer; becomes {@link BackupAlert#problem()}. */
  private static final class PrometheusProblem extends RuntimeException {
    PrometheusProblem(String message) {
      super(message, null, false, false);
    }
  }
}
