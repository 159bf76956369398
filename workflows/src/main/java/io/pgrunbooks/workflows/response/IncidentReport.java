package io.pgrunbooks.workflows.response;

import io.pgrunbooks.workflows.alerts.AlertNotice;
import io.pgrunbooks.workflows.approval.GateOutcome;
import java.util.List;
import java.util.Map;

/**
 * The seed's "Incident Documentation Template", filled from what the run found and did.
 *
 * @param target the target
 * @param incidentStart RFC 3339: when it began (the alert's start) or when the run started
 * @param detection how it was detected (an alert, or a person's request)
 * @param severity the Quick Reference severity, e.g. SEV-1
 * @param responseTime the response time that severity calls for
 * @param scenario the scenario run (none, or stopped after the diagnosis)
 * @param scenarioChosenBy the assessment, the request, or the person who steered
 * @param rootCause what was found, in words: the assessment's reasons and the diagnosis' findings
 * @param outcome the scenario's outcome (DONE, REJECTED, PLANNED, NOTHING_TO_DO, FAILED) or STOPPED
 * @param actions each change made, in order
 * @param approvals every gate decision of the scenario (who, when, comment)
 * @param resolved whether the validation afterwards found nothing wrong
 * @param resolvedAt RFC 3339, when the validation finished
 * @param resolutionTime from incidentStart to resolvedAt, e.g. "12 min 30 s"
 * @param dataLoss "no" or what may be lost
 * @param recoveryMethod what repaired it, e.g. "terminated idle sessions", "none"
 * @param affectedDatabases the target's databases
 * @param affectedServices the applications that use them (the target's deployments)
 * @param errorMessages errors seen in logs and checks, each bounded
 * @param validationProblems what the validation still found wrong
 * @param followUps what a person should do next
 * @param children the child runs by role, for the Web UI
 * @param markdown the report as Markdown
 * @param storedAt where the Markdown is kept (object key), or null when no artifact store is configured
 * @param alertNotices every alert notification recorded on the run (the first, repeats, the resolve), in order
 */
public record IncidentReport(
    String target,
    String incidentStart,
    String detection,
    String severity,
    String responseTime,
    String scenario,
    String scenarioChosenBy,
    List<String> rootCause,
    String outcome,
    List<String> actions,
    List<GateOutcome> approvals,
    boolean resolved,
    String resolvedAt,
    String resolutionTime,
    String dataLoss,
    String recoveryMethod,
    List<String> affectedDatabases,
    List<String> affectedServices,
    List<String> errorMessages,
    List<String> validationProblems,
    List<String> followUps,
    Map<String, String> children,
    String markdown,
    String storedAt,
    List<AlertNotice> alertNotices) {

  /** A report without alert notices (reports recorded before alerts were). */
  public IncidentReport(String target, String incidentStart, String detection, String severity, String responseTime,
      String scenario, String scenarioChosenBy, List<String> rootCause, String outcome, List<String> actions,
      List<GateOutcome> approvals, boolean resolved, String resolvedAt, String resolutionTime, String dataLoss,
      String recoveryMethod, List<String> affectedDatabases, List<String> affectedServices, List<String> errorMessages,
      List<String> validationProblems, List<String> followUps, Map<String, String> children, String markdown,
      String storedAt) {
    this(target, incidentStart, detection, severity, responseTime, scenario, scenarioChosenBy, rootCause, outcome, actions,
        approvals, resolved, resolvedAt, resolutionTime, dataLoss, recoveryMethod, affectedDatabases, affectedServices,
        errorMessages, validationProblems, followUps, children, markdown, storedAt, List.of());
  }

  /** The same report, kept at {@code key}. */
  public IncidentReport storedAt(String key) {
    return new IncidentReport(target, incidentStart, detection, severity, responseTime, scenario, scenarioChosenBy, rootCause,
        outcome, actions, approvals, resolved, resolvedAt, resolutionTime, dataLoss, recoveryMethod, affectedDatabases,
        affectedServices, errorMessages, validationProblems, followUps, children, markdown, key, alertNotices);
  }
}
