package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.AlertmanagerServer;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.JavaProcess;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.S3ProxyServer;
import io.pgrunbooks.workflows.alerts.AlertNotice;
import io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Alerts in, for real: Debian's Alertmanager fires PostgreSQLBackupFailed at the API's webhook with
 * its bearer token, repeats it, and sends the resolve; the worker runs RespondToBackupFailure, which
 * waits at its create-bucket gate (the target's bucket does not exist) while the notifications come.
 * One run, started by the first notification, knows all three; then bob rejects the gate.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AlertsFromAlertmanagerEndToEndTest {
  /** A target of its own per test run, so that every run the server ever had with its id is this test's. */
  private static final String TARGET = "paged-" + Long.toHexString(System.nanoTime());
  private static final String STORE = "e2e-paged";
  private static final String RUN = "destructive/" + TARGET;
  private static final String ALERTMANAGER_TOKEN = "alertmanager-token-" + java.util.UUID.randomUUID();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
    registry.add("pgrunbooks.targets." + TARGET + ".hosting", () -> "host");
    // Alertmanager's own token: operator only (it starts runs, it never approves).
    registry.add("pgrunbooks.security.tokens[4].name", () -> "alertmanager");
    registry.add("pgrunbooks.security.tokens[4].token", () -> ALERTMANAGER_TOKEN);
    registry.add("pgrunbooks.security.tokens[4].roles", () -> "operator");
  }

  /** The demo cluster, backed up to a bucket nobody created: the run stops at the create-bucket gate. */
  private static Map<String, String> workerOverrides() {
    Map<String, String> p = new HashMap<>(HostTargets.asProperties(TARGET, StackFixture.demo()));
    p.put("pgrunbooks.targets." + TARGET + ".databases[0]", "link_users");
    S3ProxyServer s3 = S3ProxyServer.shared();
    p.put("pgrunbooks.stores." + STORE + ".endpoint", s3.endpoint().toString());
    p.put("pgrunbooks.stores." + STORE + ".bucket", "never-created-" + Long.toHexString(System.nanoTime()));
    p.put("pgrunbooks.stores." + STORE + ".access-key-ref", s3.accessKeyRef());
    p.put("pgrunbooks.stores." + STORE + ".secret-key-ref", s3.secretKeyRef());
    p.put("pgrunbooks.targets." + TARGET + ".backup.store", STORE);
    p.put("pgrunbooks.targets." + TARGET + ".backup.key-ref", "file:" + StackFixture.backupKeyFile());
    return p;
  }

  @Test
  void oneAlertItsRepeatAndItsResolveGiveOneRunThatKnowsAllThree() {
    if (!AlertmanagerServer.installed()) {
      if (System.getenv("CI") != null) {
        fail("/usr/bin/prometheus-alertmanager is missing: scripts/lib.sh ensure_packages installs Debian's prometheus-alertmanager");
      }
      assumeThat(false).as("Debian's prometheus-alertmanager (scripts/lib.sh ensure_packages installs it)").isTrue();
    }
    Http http = new Http(port);
    WorkflowClient client = WorkflowClient.newInstance(StackFixture.service());
    Map<String, String> labels = Map.of("alertname", "PostgreSQLBackupFailed", "target", TARGET, "database", "link_users",
        "severity", "critical");
    Map<String, String> annotations = Map.of("summary", "PostgreSQL backup of " + TARGET + "/link_users failed");
    Instant startsAt = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    try (JavaProcess worker = StackFixture.startWorker(workerOverrides());
        AlertmanagerServer alertmanager = AlertmanagerServer.start(
            "http://127.0.0.1:" + port + "/api/alerts/alertmanager", ALERTMANAGER_TOKEN, Duration.ofSeconds(3))) {
      // Fires: the first notification starts the run; a repeat follows repeat_interval later.
      alertmanager.postAlert(labels, annotations, startsAt, null);
      RespondToBackupFailureWorkflow run = client.newWorkflowStub(RespondToBackupFailureWorkflow.class, RUN);
      List<AlertNotice> firing = awaitNotices(run, n -> n.stream().filter(a -> !a.resolved()).count() >= 2, alertmanager);
      assertThat(firing).allSatisfy(n -> assertThat(n.status()).isEqualTo("firing"));

      // Resolves: the resolve is recorded on the same run, which goes on waiting at its gate.
      alertmanager.postAlert(labels, annotations, startsAt, Instant.now().minusSeconds(1));
      awaitNotices(run, n -> n.stream().anyMatch(AlertNotice::resolved), alertmanager);
      rejectWhenOpen(http, "create-bucket");
      JsonNode done = http.get("/api/runs/" + RUN + "?wait=60", StackFixture.VIEWER_TOKEN).body();
      assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
      assertThat(done.path("requestedBy").asText()).isEqualTo("alertmanager");
      JsonNode result = done.get("result");
      assertThat(result.get("status").asText()).isEqualTo("REJECTED");

      // One run for the alert, and it knows the first notification, the repeat(s) and the resolve, in order.
      List<JsonNode> notices = StreamSupport.stream(result.get("alertNotices").spliterator(), false).toList();
      assertThat(notices).as(result.get("alertNotices").toString()).hasSizeGreaterThanOrEqualTo(3);
      assertThat(notices.get(0).get("status").asText()).isEqualTo("firing");
      assertThat(notices.get(1).get("status").asText()).as("the repeat").isEqualTo("firing");
      assertThat(notices.get(notices.size() - 1).get("status").asText()).isEqualTo("resolved");
      assertThat(notices.stream().filter(n -> n.get("status").asText().equals("resolved"))).hasSize(1);
      assertThat(notices).allSatisfy(n -> {
        assertThat(n.get("alertname").asText()).isEqualTo("PostgreSQLBackupFailed");
        assertThat(n.get("fingerprint").asText()).as("the same alert").isEqualTo(notices.get(0).get("fingerprint").asText());
        assertThat(n.get("startsAt").asText()).isEqualTo(startsAt.toString());
      });
      assertThat(notices.get(notices.size() - 1).get("endsAt").isNull()).isFalse();
      assertThat(result.get("report").asText()).contains("## Alert notifications");
      assertThat(client.listExecutions("WorkflowId = '" + RUN + "'").count()).as("runs ever with the alert's id").isEqualTo(1);
      assertThat(alertmanager.log()).doesNotContain(ALERTMANAGER_TOKEN);
      assertThat(worker.tail()).doesNotContain(ALERTMANAGER_TOKEN);
      Histories.save(RUN, "respond-to-backup-failure-alerts");
    }
  }

  /** Queries the run's notices until they satisfy the condition (the run may not exist yet at first). */
  private static List<AlertNotice> awaitNotices(
      RespondToBackupFailureWorkflow run, Predicate<List<AlertNotice>> condition, AlertmanagerServer alertmanager) {
    List<AlertNotice> notices = List.of();
    for (int i = 0; i < 300; i++) {
      try {
        notices = run.alertNotices();
        if (condition.test(notices)) {
          return notices;
        }
      } catch (WorkflowNotFoundException notStartedYet) {
        // the first notification has not arrived yet
      }
      Processes.sleep(100);
    }
    throw new AssertionError("notices after 30 s: " + notices + "\nAlertmanager's log:\n" + alertmanager.log());
  }

  /** Waits for the gate in the run's status and rejects it over the API as bob (any approver: the run is alertmanager's). */
  private static void rejectWhenOpen(Http http, String gateId) {
    for (int i = 0; i < 600; i++) {
      JsonNode status = http.get("/api/runs/" + RUN, StackFixture.VIEWER_TOKEN).body();
      for (JsonNode gate : status.path("awaitingApproval")) {
        if (gate.path("gateId").asText().equals(gateId)) {
          Http.Response sent = http.post("/api/approvals/" + RUN, StackFixture.APPROVER_TOKEN,
              "{\"gateId\":\"" + gateId + "\",\"decision\":\"reject\",\"digest\":\"" + gate.path("digest").asText()
                  + "\",\"comment\":\"the alert resolved; the bucket name is wrong in the config\"}");
          assertThat(sent.status()).as(sent.raw()).isEqualTo(202);
          return;
        }
      }
      assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("RUNNING");
      Processes.sleep(100);
    }
    throw new AssertionError("gate " + gateId + " never opened");
  }
}
