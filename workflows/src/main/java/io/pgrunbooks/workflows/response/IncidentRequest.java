package io.pgrunbooks.workflows.response;

import io.pgrunbooks.workflows.assessment.Scenario;

/**
 * Input of RespondToDatabaseFailure.
 *
 * @param target a configured target
 * @param scenario a scenario chosen by the requester (null: the assessment's)
 * @param stopAfterDiagnosis end after the diagnosis, with the report
 * @param detection how the incident was detected, for the report (e.g. "alert DatabaseDown firing since
 *     2026-11-29T10:00:00Z"); null: a manual request
 * @param detectedAt RFC 3339, when it began (an alert's startsAt); null: when the run started
 * @param watchHours how long the post-incident rules stay (null: the seed's 4; 0: no watch)
 * @param dryRun every child plans and changes nothing; no watch is installed
 * @param requestedBy who started the run (may reject, never approve, the children's gates)
 */
public record IncidentRequest(
    String target,
    Scenario scenario,
    boolean stopAfterDiagnosis,
    String detection,
    String detectedAt,
    Integer watchHours,
    boolean dryRun,
    String requestedBy) {

  /** The watch's hours: the seed's 4 unless the request says. */
  public int watchHoursOrDefault() {
    return watchHours == null ? 4 : watchHours;
  }
}
