package io.pgrunbooks.workflows.validation;

/**
 * The seed's {@code curl -f <url>}: -f fails on HTTP 400 and above.
 *
 * @param url the URL called
 * @param status the HTTP status, or 0 when there was no answer
 * @param millis how long it took
 * @param error why there was no answer, or null
 */
public record HealthCheck(String url, int status, long millis, String error) {
  public boolean healthy() {
    return status >= 200 && status < 400;
  }
}
