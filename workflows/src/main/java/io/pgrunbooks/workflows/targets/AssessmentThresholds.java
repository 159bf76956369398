package io.pgrunbooks.workflows.targets;

/**
 * Limits the assessment classifies against. Defaults follow the seed runbook and common practice.
 *
 * @param connectionsWarnPercent connections in use (of max_connections) worth a warning
 * @param connectionsCriticalPercent connections in use that count as exhaustion (SEV-2)
 * @param diskWarnPercent disk use of the data directory worth acting on within hours (SEV-3)
 * @param diskCriticalPercent disk use at which PostgreSQL is about to stop writing (SEV-1)
 * @param replicationLagSeconds replay lag of any replica that counts as lagging (SEV-2)
 * @param slowQuerySeconds an active statement running longer than this is slow; the seed uses 5
 *     minutes (SEV-3)
 */
public record AssessmentThresholds(
    double connectionsWarnPercent,
    double connectionsCriticalPercent,
    double diskWarnPercent,
    double diskCriticalPercent,
    double replicationLagSeconds,
    double slowQuerySeconds) {

  /** The defaults used when a target's configuration says nothing. */
  public static AssessmentThresholds defaults() {
    return new AssessmentThresholds(80, 90, 85, 95, 60, 300);
  }
}
