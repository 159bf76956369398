package io.pgrunbooks.api.e2e;

import static io.pgrunbooks.api.e2e.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.workflows.alerts.AlertNotice;
import io.pgrunbooks.workflows.alerts.AlertSignals;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Alertmanager's webhook over HTTP against the real Temporal server, with no worker: what each
 * alert becomes (a run started, a notice on the run going, ignored with the reason) is read from the
 * server. The real Alertmanager firing at a worker is {@link AlertsFromAlertmanagerEndToEndTest}.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AlertReceiverTest {
  private static final String TARGET = "alerted";
  private static final String RUN = "destructive/" + TARGET;
  private static final String PATH = "/api/alerts/alertmanager";

  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
    registry.add("pgrunbooks.targets." + TARGET + ".hosting", () -> "host");
  }

  private final WorkflowClient client = WorkflowClient.newInstance(StackFixture.service());

  @AfterEach
  void endTheRunsLeft() {
    try {
      client.newUntypedWorkflowStub(RUN).terminate("test over");
    } catch (RuntimeException noneGoing) {
      // nothing was started, or it is closed
    }
  }

  static String notification(String alertname, String status, String target, String endsAt) {
    return """
        {"version":"4","groupKey":"{}:{alertname=\\"%1$s\\"}","truncatedAlerts":0,"status":"%2$s","receiver":"pg-runbooks",
         "groupLabels":{"alertname":"%1$s"},"commonLabels":{"alertname":"%1$s"},"commonAnnotations":{},
         "externalURL":"http://alertmanager:9093",
         "alerts":[{"status":"%2$s","labels":{"alertname":"%1$s","target":"%3$s","severity":"critical"},
           "annotations":{"summary":"backup of %3$s failed"},"startsAt":"2026-11-29T10:00:00.5+01:00","endsAt":"%4$s",
           "generatorURL":"http://prometheus:9090/graph","fingerprint":"c0ffee"}]}
        """.formatted(alertname, status, target, endsAt);
  }

  private JsonNode post(String body) {
    Http.Response r = new Http(port).post(PATH, StackFixture.OPERATOR_TOKEN, body);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.body().get("receiver").asText()).isEqualTo("pg-runbooks");
    return r.body().get("alerts").get(0);
  }

  @Test
  void theFirstNotificationStartsTheRunbookARepeatAndTheResolveAreRecordedOnIt() {
    JsonNode first = post(notification("PostgreSQLBackupFailed", "firing", TARGET, "0001-01-01T00:00:00Z"));
    assertThat(first.get("outcome").asText()).as(first.toString()).isEqualTo("started");
    assertThat(first.get("workflowId").asText()).isEqualTo(RUN);
    assertThat(first.get("runbook").asText()).isEqualTo("respond-to-backup-failure");
    assertThat(first.get("statusUrl").asText()).isEqualTo("/api/runs/" + RUN);
    JsonNode repeat = post(notification("PostgreSQLBackupFailed", "firing", TARGET, "0001-01-01T00:00:00Z"));
    assertThat(repeat.get("outcome").asText()).as(repeat.toString()).isEqualTo("joined");
    assertThat(repeat.get("detail").asText()).contains("RespondToBackupFailure requested by alertmanager");
    JsonNode resolved = post(notification("PostgreSQLBackupFailed", "resolved", TARGET, "2026-11-29T09:30:00Z"));
    assertThat(resolved.get("outcome").asText()).as(resolved.toString()).isEqualTo("joined");

    WorkflowStub run = client.newUntypedWorkflowStub(RUN);
    assertThat(run.describe().getWorkflowType()).isEqualTo("RespondToBackupFailure");
    List<AlertNotice> notices = signalled(RUN);
    assertThat(notices).extracting(AlertNotice::status).containsExactly("firing", "firing", "resolved");
    assertThat(run.describe().getMemo("startedByAlertNotice", String.class)).as("the first notice started this run, which has all three")
        .isEqualTo(notices.get(0).noticeId());
    AlertNotice last = notices.get(2);
    assertThat(last.startsAt()).as("in UTC").isEqualTo("2026-11-29T09:00:00.500Z");
    assertThat(last.endsAt()).isEqualTo("2026-11-29T09:30:00Z");
    assertThat(last.fingerprint()).isEqualTo("c0ffee");
    assertThat(last.labels()).containsEntry("severity", "critical").containsEntry("target", TARGET);
    assertThat(last.summary()).isEqualTo("backup of alerted failed");
    assertThat(notices.get(0).endsAt()).as("Alertmanager's zero time is no time").isNull();
  }

  @Test
  void anAlertForATargetWhoseDestructiveRunIsAnotherRunbooksStartsNothingAndIsRecordedOnThatRun() {
    Http.Response restore = new Http(port).post("/api/runs", StackFixture.OPERATOR_TOKEN,
        "{\"runbook\":\"drop-restore-leftover\",\"target\":\"" + TARGET + "\",\"database\":\"link_users_pre_restore_20261129_100000\"}");
    assertThat(restore.status()).as(restore.raw()).isEqualTo(202);
    JsonNode alert = post(notification("DatabaseConnectionSpike", "firing", TARGET, "0001-01-01T00:00:00Z"));
    assertThat(alert.get("outcome").asText()).as(alert.toString()).isEqualTo("recorded");
    assertThat(alert.get("runbook").asText()).isEqualTo("respond-to-database-failure");
    assertThat(alert.get("detail").asText()).startsWith("target alerted already has a destructive run, " + RUN
        + " (DropRestoreLeftover requested by alice, started ").contains("respond-to-database-failure was not started");
    assertThat(client.newUntypedWorkflowStub(RUN).describe().getWorkflowType()).isEqualTo("DropRestoreLeftover");
    assertThat(signalled(RUN)).extracting(AlertNotice::alertname).containsExactly("DatabaseConnectionSpike");
  }

  @Test
  void unroutedAlertsUnknownTargetsAndAResolveWithNoRunAreIgnoredWithA200() {
    assertThat(post(notification("Watchdog", "firing", TARGET, "0001-01-01T00:00:00Z")).get("detail").asText())
        .startsWith("ignored: alert Watchdog is routed to no runbook (pgrunbooks.alerts.routes: [PostgreSQLBackupFailed, ");
    JsonNode unknown = post(notification("PostgreSQLBackupFailed", "firing", "prod", "0001-01-01T00:00:00Z"));
    assertThat(unknown.get("outcome").asText()).isEqualTo("ignored");
    assertThat(unknown.get("detail").asText()).startsWith("ignored: label target=prod names no configured target; targets: [");
    JsonNode resolve = post(notification("PostgreSQLBackupFailed", "resolved", TARGET, "2026-11-29T09:30:00Z"));
    assertThat(resolve.get("detail").asText()).isEqualTo("ignored: resolved, and no run holds target alerted to record it on");
    assertThat(post(notification("PostgreSQLBackupFailed", "pending", TARGET, "x")).get("detail").asText())
        .isEqualTo("ignored: status must be firing or resolved, got pending");
    assertNoRunGoing();
  }

  @Test
  void aBodyThatIsNoWebhookPayloadIsA400ProblemAndNoTokenA401() {
    Http http = new Http(port);
    assertProblem(http.post(PATH, StackFixture.OPERATOR_TOKEN, "{\"version\":\"4\",\"alerts\":["), 400, "not valid JSON");
    assertProblem(http.post(PATH, StackFixture.OPERATOR_TOKEN, "{\"version\":\"4\",\"alerts\":[{\"labels\":\"x\"}]}"), 400,
        "'alerts.[0].labels' has the wrong type");
    assertProblem(http.post(PATH, StackFixture.OPERATOR_TOKEN, "{\"version\":\"3\",\"alerts\":[]}"), 400,
        "only Alertmanager's webhook payload version 4 is understood, got version 3");
    assertProblem(http.post(PATH, StackFixture.OPERATOR_TOKEN, "{\"version\":\"4\"}"), 400, "'alerts' is required");
    assertProblem(http.post(PATH, StackFixture.OPERATOR_TOKEN, "{\"version\":\"4\",\"alerts\":[null]}"), 400,
        "'alerts' must not contain null");
    assertProblem(http.post(PATH, StackFixture.OPERATOR_TOKEN, "[]"), 400, "");
    String body = notification("PostgreSQLBackupFailed", "firing", TARGET, "0001-01-01T00:00:00Z");
    assertProblem(http.post(PATH, null, body), 401, "Authorization: Bearer");
    assertProblem(http.post(PATH, StackFixture.VIEWER_TOKEN, body), 403, "your roles do not allow POST /api/alerts/alertmanager");
    assertNoRunGoing();
  }

  /** No run holds the target (the latest run of the id, if any, is closed: terminated after the test before). */
  private void assertNoRunGoing() {
    try {
      assertThat(client.newUntypedWorkflowStub(RUN).describe().getStatus())
          .isNotEqualTo(io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    } catch (io.temporal.client.WorkflowNotFoundException never) {
      // no run ever had the id
    }
  }

  /** The notices signalled to the run, read from its history (no worker runs here). */
  private List<AlertNotice> signalled(String workflowId) {
    return client.fetchHistory(workflowId).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
        .map(HistoryEvent::getWorkflowExecutionSignaledEventAttributes)
        .filter(s -> s.getSignalName().equals(AlertSignals.ALERT_NOTIFIED))
        .map(s -> DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0, java.util.Optional.of(s.getInput()), AlertNotice.class, AlertNotice.class))
        .toList();
  }
}
