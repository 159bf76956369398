package io.pgrunbooks.api.alerts;

/**
 * What the receiver did with one alert of a notification.
 *
 * @param alertname the alert's name (null: it had none)
 * @param status {@code firing} or {@code resolved}, as sent
 * @param fingerprint Alertmanager's fingerprint, as sent
 * @param target the target its labels name (null: none found)
 * @param runbook the runbook it is routed to (null: none)
 * @param outcome {@code started} (a new run), {@code joined} (recorded on the run already going for it),
 *     {@code recorded} (on the history of another runbook's run that holds the target), or {@code ignored}
 * @param detail the same in words, with the reason when ignored
 * @param workflowId the run it is recorded on (null when ignored)
 * @param statusUrl where to follow that run over the API (null when ignored)
 */
record AlertOutcome(
    String alertname,
    String status,
    String fingerprint,
    String target,
    String runbook,
    String outcome,
    String detail,
    String workflowId,
    String statusUrl) {}
