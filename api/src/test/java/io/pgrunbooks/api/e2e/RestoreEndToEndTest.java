package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.JavaProcess;
import io.pgrunbooks.harness.Processes;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * RestoreFromBackup over HTTP with the real worker jar, the dev server, PostgreSQL, s3proxy and
 * the deployments in fabric8's mock API server: the worker is SIGKILLed (with its pg_restore)
 * in the middle of the restore step; a new worker finishes the run, and the history shows one
 * scale-down and one swap. A second destructive run on the same target is refused meanwhile.
 */
@EnableKubernetesMockClient(crud = true, https = false)
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RestoreEndToEndTest {
  private static final String NS = "link-services";
  private static final Map<String, Integer> APPS = Map.of("api-gateway", 3, "user-svc", 2, "chat-svc", 2);
  private static final String DB = "link_orders";

  static KubernetesMockServer server;
  static KubernetesClient client;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
  }

  @BeforeAll
  static void ordersDatabase() {
    // About 40 MB: pg_restore runs for a few seconds, long enough to be caught mid-restore.
    StackFixture.demo().execute("postgres", "create database " + DB);
    StackFixture.demo().execute(DB,
        "create table orders (id bigint primary key, item text not null, created_at timestamptz not null)",
        "insert into orders select g, md5(g::text) || repeat(md5((g * 31)::text), 4), timestamptz '2026-11-01' + g * interval '1 second'"
            + " from generate_series(1, 250000) g",
        "create index orders_created on orders (created_at)");
  }

  @BeforeEach
  void deployments() {
    APPS.forEach((name, replicas) -> client.apps().deployments().inNamespace(NS).resource(
        new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
            .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector().endSpec()
            .build()).createOr(r -> r.update()));
  }

  private static Map<String, String> workerOverrides() {
    Map<String, String> p = new HashMap<>();
    p.put("pgrunbooks.kubernetes.master-url", server.url("/"));
    p.put("pgrunbooks.targets.demo.kubernetes.namespace", NS);
    List<String> apps = List.copyOf(APPS.keySet());
    for (int i = 0; i < apps.size(); i++) {
      p.put("pgrunbooks.targets.demo.application-deployments[" + i + "]", apps.get(i));
    }
    p.put("pgrunbooks.targets.demo.databases[2]", DB);
    p.put("pgrunbooks.targets.demo.restore.check-tables[0]", "orders");
    return p;
  }

  @Test
  void aWorkerKilledMidRestoreIsReplacedAndNothingIsDoneTwice() throws Exception {
    Http http = new Http(port);
    JavaProcess first = StackFixture.startWorker(workerOverrides());
    JavaProcess second = null;
    try {
      JsonNode backup = E2eRuns.finished(http, http.post("/api/runs", StackFixture.OPERATOR_TOKEN,
          "{\"runbook\":\"backup-databases\",\"target\":\"demo\",\"databases\":[\"" + DB + "\"]}"));
      assertThat(backup.path("status").asText()).as(backup.toString()).isEqualTo("COMPLETED");
      String backedUp = fingerprint(DB);
      StackFixture.demo().execute(DB, "insert into orders values (0, 'written after the backup', now())");

      Http.Response started = http.post("/api/runs", StackFixture.OPERATOR_TOKEN,
          "{\"runbook\":\"restore-from-backup\",\"target\":\"demo\",\"database\":\"" + DB + "\"}");
      assertThat(started.status()).as(started.raw()).isEqualTo(202);
      String id = started.body().get("workflowId").asText();
      String statusUrl = started.body().get("statusUrl").asText();

      // One destructive run per target: a second is refused while the first waits; a dry run is not destructive.
      Http.Response second409 = http.post("/api/runs", StackFixture.OPERATOR_APPROVER_TOKEN,
          "{\"runbook\":\"restore-from-backup\",\"target\":\"demo\",\"database\":\"link_users\"}");
      assertThat(second409.status()).as(second409.raw()).isEqualTo(409);
      assertThat(second409.raw()).contains(id).contains("alice");
      Http.Response dryRun = http.post("/api/runs", StackFixture.OPERATOR_APPROVER_TOKEN,
          "{\"runbook\":\"restore-from-backup\",\"target\":\"demo\",\"database\":\"" + DB + "\",\"dryRun\":true}");
      assertThat(dryRun.status()).as(dryRun.raw()).isEqualTo(202);
      assertThat(E2eRuns.finished(http, dryRun).at("/result/status").asText()).isEqualTo("PLANNED");

      E2eRuns.approve(http, statusUrl, id, "scale-down-and-restore", "restore checked by bob");
      long pgRestore = E2eRuns.awaitChild(first, "pg_restore");
      Processes.signal(pgRestore, "STOP"); // pin the restore step, then the machine dies
      first.kill();
      Processes.signal(pgRestore, "KILL");

      second = StackFixture.startWorker(workerOverrides());
      E2eRuns.approve(http, statusUrl, id, "swap-databases", "restore checked by bob");
      JsonNode done = E2eRuns.finished(http, started);
      assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
      JsonNode result = done.get("result");
      assertThat(result.get("status").asText()).isEqualTo("RESTORED");

      assertThat(fingerprint(DB)).isEqualTo(backedUp);
      assertThat(fingerprint(result.get("preRestoreDatabase").asText())).isNotEqualTo(backedUp);
      assertThat(replicas()).isEqualTo(APPS);

      List<HistoryEvent> events = WorkflowClient.newInstance(StackFixture.service()).fetchHistory(id).getEvents();
      assertThat(E2eRuns.scheduled(events)).containsEntry("ScaleDown", 1L).containsEntry("SwapDatabases", 1L).containsEntry("RestoreInto", 1L)
          .containsEntry("ScaleBack", 1L);
      Optional<HistoryEvent> restoreStarted = events.stream()
          .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
          .filter(e -> e.getActivityTaskStartedEventAttributes().getAttempt() > 1)
          .findFirst();
      assertThat(restoreStarted).as("the restore step ran again on the new worker").isPresent();
      Histories.save(id, "restore-from-backup");
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  private static Map<String, Integer> replicas() {
    return APPS.keySet().stream().collect(Collectors.toMap(
        n -> n, n -> client.apps().deployments().inNamespace(NS).withName(n).get().getSpec().getReplicas()));
  }

  private static String fingerprint(String database) throws Exception {
    try (var c = StackFixture.demo().connect(database); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) || ' ' || md5(string_agg(o::text, '|' order by id)) from orders o")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
