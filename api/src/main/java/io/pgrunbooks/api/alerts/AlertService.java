package io.pgrunbooks.api.alerts;

import io.pgrunbooks.api.errors.BadRequest;
import io.pgrunbooks.api.runs.RunService;
import io.pgrunbooks.workflows.alerts.AlertNotice;
import io.pgrunbooks.workflows.alerts.AlertSignals;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Turns each alert of a notification into a notice on the run that answers it. The run's id is the
 * target's destructive-run id ({@link RunService#destructiveWorkflowId}), the same a person's REST
 * start takes: a firing alert signals-with-start it, so the first notification starts the runbook
 * and a repeat joins the run going, atomically on the server; and a second alert for a target that
 * already has a destructive run (another alert's runbook, or a person's restore) starts nothing but
 * is recorded on that run. A resolved alert is only recorded, on the run going; with none going it
 * is ignored (a resolve never starts a run).
 */
@Service
class AlertService {
  private static final Logger log = LoggerFactory.getLogger(AlertService.class);
  /** The memo key holding the id of the notice that started a run: the notice finds out whether it did. */
  static final String STARTED_BY_NOTICE = "startedByAlertNotice";
  private static final int MAX_LABELS = 20;
  private static final int MAX_LABEL_VALUE = 200;
  private static final int MAX_TEXT = 500;

  private final WorkflowClient client;
  private final RunService runs;
  private final AlertRoutes routes;

  AlertService(WorkflowClient client, RunService runs, AlertRoutes routes) {
    this.client = client;
    this.runs = runs;
    this.routes = routes;
  }

  AlertReceipt receive(AlertmanagerNotification notification) {
    if (notification == null) {
      throw new BadRequest("the body must be Alertmanager's webhook payload (version 4)");
    }
    if (!"4".equals(notification.version())) {
      throw new BadRequest("only Alertmanager's webhook payload version 4 is understood, got version " + notification.version());
    }
    if (notification.alerts() == null) {
      throw new BadRequest("'alerts' is required: the notification's alerts");
    }
    if (notification.alerts().contains(null)) {
      throw new BadRequest("'alerts' must not contain null");
    }
    Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<AlertOutcome> outcomes = new ArrayList<>();
    for (AlertmanagerNotification.Alert alert : notification.alerts()) {
      AlertOutcome outcome = receive(alert, receivedAt);
      log.info("alert {} {} (fingerprint {}) from receiver {}: {} {}", oneLine(outcome.alertname()), oneLine(outcome.status()),
          oneLine(outcome.fingerprint()), oneLine(notification.receiver()), outcome.outcome(), oneLine(outcome.detail()));
      outcomes.add(outcome);
    }
    return new AlertReceipt(notification.receiver(), notification.groupKey(), outcomes);
  }

  private AlertOutcome receive(AlertmanagerNotification.Alert alert, Instant receivedAt) {
    AlertRoutes.Routing routing = routes.route(alert.labels());
    String status = alert.status();
    if (routing.ignored() != null) {
      return ignored(alert, routing, routing.ignored());
    }
    if (!AlertNotice.FIRING.equals(status) && !AlertNotice.RESOLVED.equals(status)) {
      return ignored(alert, routing, "status must be firing or resolved, got " + status);
    }
    String startsAt = time(alert.startsAt());
    if (startsAt == null) {
      return ignored(alert, routing, "startsAt is not an RFC 3339 time: " + bounded(alert.startsAt(), 40));
    }
    AlertNotice notice = new AlertNotice(
        UUID.randomUUID().toString(), routing.alertname(), status, bounded(alert.fingerprint(), 64), startsAt,
        AlertNotice.RESOLVED.equals(status) ? time(alert.endsAt()) : null, routing.target(), routing.runbook().name(),
        labels(alert.labels()), summary(alert.annotations()), bounded(alert.generatorURL(), MAX_TEXT), receivedAt.toString());
    String workflowId = RunService.destructiveWorkflowId(routing.target());
    return notice.resolved() ? recordResolve(alert, routing, notice, workflowId) : startOrJoin(alert, routing, notice, workflowId);
  }

  /** Signal-with-start: a new run with this notice, or this notice on the run that holds the target. */
  private AlertOutcome startOrJoin(
      AlertmanagerNotification.Alert alert, AlertRoutes.Routing routing, AlertNotice notice, String workflowId) {
    WorkflowOptions options = WorkflowOptions.newBuilder(
            runs.options(routing.runbook(), routing.target(), AlertInputs.REQUESTED_BY, workflowId))
        .setMemo(Map.of(STARTED_BY_NOTICE, notice.noticeId()))
        .build();
    WorkflowExecution execution = client.newUntypedWorkflowStub(routing.runbook().workflowType(), options)
        .signalWithStart(AlertSignals.ALERT_NOTIFIED, new Object[] {notice},
            new Object[] {AlertInputs.input(routing.runbook(), routing.target(), notice)});
    WorkflowExecutionDescription run = client
        .newUntypedWorkflowStub(workflowId, Optional.of(execution.getRunId()), Optional.empty()).describe();
    if (notice.noticeId().equals(run.getMemo(STARTED_BY_NOTICE, String.class))) {
      return recorded(alert, routing, "started", "started " + routing.runbook().name() + " on " + routing.target()
          + " as " + workflowId, workflowId);
    }
    return onHolder(alert, routing, run, workflowId);
  }

  /** A resolve is recorded on the run going, never starts one. */
  private AlertOutcome recordResolve(
      AlertmanagerNotification.Alert alert, AlertRoutes.Routing routing, AlertNotice notice, String workflowId) {
    try {
      client.newUntypedWorkflowStub(workflowId).signal(AlertSignals.ALERT_NOTIFIED, notice);
    } catch (WorkflowNotFoundException noRunGoing) {
      return ignored(alert, routing, "resolved, and no run holds target " + routing.target() + " to record it on");
    }
    return onHolder(alert, routing, client.newUntypedWorkflowStub(workflowId).describe(), workflowId);
  }

  /** The notice went to the run that held the target: say which, and whether it reads notices. */
  private AlertOutcome onHolder(
      AlertmanagerNotification.Alert alert, AlertRoutes.Routing routing, WorkflowExecutionDescription run, String workflowId) {
    String holder = run.getWorkflowType() + " requested by "
        + run.getTypedSearchAttributes().get(RunbookSearchAttributes.REQUESTED_BY) + ", started " + run.getStartTime();
    if (AlertInputs.recordsNotices(run.getWorkflowType())) {
      return recorded(alert, routing, "joined", "recorded on the run going for target " + routing.target() + ": "
          + workflowId + " (" + holder + ")", workflowId);
    }
    return recorded(alert, routing, "recorded", "target " + routing.target() + " already has a destructive run, "
        + workflowId + " (" + holder + "); only one may change a target at a time, so " + routing.runbook().name()
        + " was not started: the notice is in that run's history", workflowId);
  }

  private AlertOutcome recorded(
      AlertmanagerNotification.Alert alert, AlertRoutes.Routing routing, String outcome, String detail, String workflowId) {
    return new AlertOutcome(routing.alertname(), alert.status(), alert.fingerprint(), routing.target(), routing.runbook().name(),
        outcome, detail, workflowId, "/api/runs/" + workflowId);
  }

  private static AlertOutcome ignored(AlertmanagerNotification.Alert alert, AlertRoutes.Routing routing, String why) {
    return new AlertOutcome(routing.alertname(), alert.status(), alert.fingerprint(), routing.target(),
        routing.runbook() == null ? null : routing.runbook().name(), "ignored", "ignored: " + why, null, null);
  }

  /** RFC 3339 in UTC, or null for no time, Alertmanager's zero time, or text that is none. */
  static String time(String value) {
    if (value == null || value.isBlank() || value.startsWith("0001-01-01")) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant().toString();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Map<String, String> labels(Map<String, String> labels) {
    Map<String, String> kept = new TreeMap<>();
    new TreeMap<>(labels).forEach((k, v) -> {
      if (kept.size() < MAX_LABELS && k != null && v != null) {
        kept.put(bounded(k, 100), bounded(v, MAX_LABEL_VALUE));
      }
    });
    return kept;
  }

  private static String summary(Map<String, String> annotations) {
    if (annotations == null) {
      return null;
    }
    String text = annotations.get("summary") != null ? annotations.get("summary") : annotations.get("description");
    return bounded(text, MAX_TEXT);
  }

  private static String bounded(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max) + "...";
  }

  private static String oneLine(String s) {
    return s == null ? null : bounded(s.replaceAll("[\\r\\n\\t]", " "), MAX_TEXT);
  }
}
