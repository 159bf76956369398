package io.pgrunbooks.workflows.alerts;

import java.util.Map;

/**
 * One alert of one Alertmanager notification, as the run records it: the first notification that
 * started the run, each repeat, and the resolve. Labels and the summary are what Alertmanager sent
 * (bounded by the receiver); no secret is ever in an alert, and the receiver adds none.
 *
 * @param noticeId a random id the receiver gives each notice, to find it in the run
 * @param alertname the alert's {@code alertname} label, e.g. {@code PostgreSQLBackupFailed}
 * @param status {@code firing} or {@code resolved}
 * @param fingerprint Alertmanager's fingerprint of the alert's labels: the same alert, repeated, has the same one
 * @param startsAt RFC 3339, when the alert began firing
 * @param endsAt RFC 3339, when it resolved (null while firing)
 * @param target the target the receiver read from the alert's labels
 * @param runbook the runbook the alert is routed to (it may be recorded on another run that holds the target)
 * @param labels the alert's labels (at most 20, values at most 200 characters)
 * @param summary the {@code summary} annotation, else {@code description} (at most 500 characters; null: none)
 * @param generatorUrl where the alert comes from (Prometheus' graph of its expression; null: none)
 * @param receivedAt RFC 3339, when the receiver got the notification
 */
public record AlertNotice(
    String noticeId,
    String alertname,
    String status,
    String fingerprint,
    String startsAt,
    String endsAt,
    String target,
    String runbook,
    Map<String, String> labels,
    String summary,
    String generatorUrl,
    String receivedAt) {
  public static final String FIRING = "firing";
  public static final String RESOLVED = "resolved";

  public boolean resolved() {
    return RESOLVED.equals(status);
  }

  /** One line for a report, e.g. "PostgreSQLBackupFailed firing since 2026-11-29T10:00:00Z (received ...)". */
  public String describe() {
    return alertname + " " + status + (resolved() && endsAt != null ? " at " + endsAt : " since " + startsAt)
        + " (fingerprint " + fingerprint + ", received " + receivedAt + ")";
  }
}
