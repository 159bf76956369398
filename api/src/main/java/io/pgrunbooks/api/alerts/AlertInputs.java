package io.pgrunbooks.api.alerts;

import io.pgrunbooks.workflows.alerts.AlertNotice;
import io.pgrunbooks.workflows.backupfailure.BackupFailureRequest;
import io.pgrunbooks.workflows.catalog.RunbookCatalog;
import io.pgrunbooks.workflows.catalog.RunbookDescriptor;
import io.pgrunbooks.workflows.response.IncidentRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The input an alert starts a runbook with, for the runbooks whose workflows record alert notices
 * ({@code AlertSignals}): a repeat and the resolve are recorded on the run, so only those may be
 * started by an alert. A new runbook plugs in with its workflow extending AlertSignals and a line here.
 */
final class AlertInputs {
  /** Who alert-started runs are requested by: no person, so any approver may approve their gates. */
  static final String REQUESTED_BY = "alertmanager";

  private static final Map<String, BiFunction<String, AlertNotice, Object>> INPUTS = Map.of(
      RunbookCatalog.RESPOND_TO_BACKUP_FAILURE.name(),
      (target, notice) -> new BackupFailureRequest(target, null, false, REQUESTED_BY),
      RunbookCatalog.RESPOND_TO_DATABASE_FAILURE.name(),
      (target, notice) -> new IncidentRequest(target, null, false, detection(notice), notice.startsAt(), null, false, REQUESTED_BY));

  /** The workflow types that read the notices (a run of another type holding the target keeps them in its history only). */
  private static final Set<String> RECORDING_TYPES = Set.of(
      RunbookCatalog.RESPOND_TO_BACKUP_FAILURE.workflowType(), RunbookCatalog.RESPOND_TO_DATABASE_FAILURE.workflowType());

  private AlertInputs() {}

  static boolean accepts(RunbookDescriptor runbook) {
    return INPUTS.containsKey(runbook.name());
  }

  static boolean recordsNotices(String workflowType) {
    return RECORDING_TYPES.contains(workflowType);
  }

  static List<String> runbooks() {
    return INPUTS.keySet().stream().sorted().toList();
  }

  static Object input(RunbookDescriptor runbook, String target, AlertNotice notice) {
    return INPUTS.get(runbook.name()).apply(target, notice);
  }

  private static String detection(AlertNotice n) {
    return "alert " + n.alertname() + " firing since " + n.startsAt() + " (Alertmanager, fingerprint " + n.fingerprint() + ")";
  }
}
