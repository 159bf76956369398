package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.JavaProcess;
import io.pgrunbooks.harness.PgBackRestRepo;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.RunHistory;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * RecoverToPointInTime over HTTP with the real worker jar, the dev server, a PostgreSQL cluster of
 * its own archiving into a pgBackRest stanza, and the applications in fabric8's mock API server:
 * the worker is SIGKILLed (with its pgbackrest restore) in the middle of the restore step. A new
 * worker completes the run to the same point in time, and the history shows the applications
 * scaled down, the server stopped and its data directory moved aside once each.
 */
@EnableKubernetesMockClient(crud = true, https = false)
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PitrWorkerCrashTest {
  private static final String TARGET = "pitr";
  private static final String NS = "link-services";
  private static final Map<String, Integer> APPS = Map.of("api-gateway", 3, "chat-svc", 2);
  private static final String ROWS = "select string_agg(id::text, ',' order by id) from events";

  static KubernetesMockServer server;
  static KubernetesClient client;
  static PgBackRestRepo repo;
  static PostgresCluster cluster;
  static final List<Instant> rows = new ArrayList<>();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
    registry.add("pgrunbooks.targets." + TARGET + ".hosting", () -> "host");
  }

  @BeforeAll
  static void clusterWithArchive() {
    repo = PgBackRestRepo.create(TARGET);
    cluster = PostgresCluster.start("pitr-e2e", repo.serverSettings());
    repo.attach(cluster);
    // About 300 MB before the backup, so that pgbackrest restore copies for a few seconds.
    cluster.execute("postgres",
        "create table filler (id bigint primary key, payload text not null)",
        "insert into filler select g, md5(g::text) || repeat(md5((g::bigint * 7919)::text), 7) from generate_series(1, 1000000) g",
        "create table events (id int primary key, at timestamptz not null)");
    repo.fullBackup();
    // Three rows a second apart, each at the server's clock inside its own transaction.
    for (int id = 1; id <= 3; id++) {
      rows.add(serverTime("insert into events values (" + id + ", clock_timestamp()) returning at"));
      Processes.sleep(1_000);
    }
    PgBackRestRepo.switchWalAndWait(cluster);
  }

  @AfterAll
  static void cleanUp() {
    if (cluster != null) {
      cluster.close(); // stops the recovered server; removes the data directory and the one aside
    }
    if (repo != null) {
      repo.close();
    }
  }

  private static Map<String, String> workerOverrides() {
    Map<String, String> p = new HashMap<>(HostTargets.asProperties(TARGET, cluster));
    String prefix = "pgrunbooks.targets." + TARGET + ".";
    p.put(prefix + "pitr.stanza", repo.stanza());
    p.put(prefix + "pitr.config-file", repo.config().toString());
    p.put("pgrunbooks.kubernetes.master-url", server.url("/"));
    p.put(prefix + "kubernetes.namespace", NS);
    List<String> apps = List.copyOf(APPS.keySet());
    for (int i = 0; i < apps.size(); i++) {
      p.put(prefix + "application-deployments[" + i + "]", apps.get(i));
    }
    return p;
  }

  @Test
  void aWorkerKilledMidRestoreIsReplacedAndTheRunRecoversToTheSamePoint() throws Exception {
    APPS.forEach((name, replicas) -> client.apps().deployments().inNamespace(NS).resource(
        new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
            .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector().endSpec()
            .build()).createOr(r -> r.update()));
    Instant target = rows.get(1).plusMillis(500); // between rows 2 and 3
    Http http = new Http(port);
    JavaProcess first = StackFixture.startWorker(workerOverrides());
    JavaProcess second = null;
    try {
      Http.Response started = http.post("/api/runs", StackFixture.OPERATOR_TOKEN,
          "{\"runbook\":\"recover-to-point-in-time\",\"target\":\"" + TARGET + "\",\"targetTime\":\"" + target
              + "\",\"checkDatabase\":\"postgres\",\"checkSql\":\"" + ROWS + "\"}");
      assertThat(started.status()).as(started.raw()).isEqualTo(202);
      String id = started.body().get("workflowId").asText();
      assertThat(id).isEqualTo("destructive/" + TARGET);
      String statusUrl = started.body().get("statusUrl").asText();

      E2eRuns.approve(http, statusUrl, id, "stop-and-restore", "target time checked by bob");
      long restore = E2eRuns.awaitChild(first, "pgbackrest", args -> args.contains("restore"));
      Path data = cluster.dataDirectory();
      awaitEntries(data); // it has begun to write: the retry finds a partial restore to complete
      Processes.signal(restore, "STOP"); // pin the restore step, then the machine dies
      first.kill();
      Processes.signal(restore, "KILL");
      assertThat(restoredMarkers(data)).as("pgbackrest was stopped before it finished").isEmpty();

      second = StackFixture.startWorker(workerOverrides());
      JsonNode done = E2eRuns.finished(http, started);
      assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
      JsonNode result = done.get("result");
      assertThat(result.get("outcome").asText()).as(result.toString()).isEqualTo("RECOVERED");
      assertThat(result.get("checkValue").asText()).isEqualTo("1,2");
      assertThat(serverValue(ROWS)).as("exactly the rows committed before the target").isEqualTo("1,2");
      assertThat(Instant.parse(result.at("/recoveryPoint/stoppedBeforeCommitAt").asText())).isAfter(target);
      assertThat(Instant.parse(result.at("/recoveryPoint/lastReplayedCommitAt").asText())).isBeforeOrEqualTo(target);
      Path aside = Path.of(result.get("preservedDataDirectory").asText());
      assertThat(aside.getParent()).isEqualTo(data.getParent());
      assertThat(aside.resolve("PG_VERSION")).as("the old data directory is kept").exists();
      assertThat(Files.readString(aside.resolve("postmaster.opts"))).contains(data.toString());
      assertThat(replicas()).isEqualTo(APPS);

      List<HistoryEvent> events = WorkflowClient.newInstance(StackFixture.service()).fetchHistory(id).getEvents();
      assertThat(E2eRuns.scheduled(events))
          .containsEntry("ScaleDown", 1L).containsEntry("StopDatabase", 1L).containsEntry("MoveDataDirectoryAside", 1L)
          .containsEntry("RestoreBackup", 1L).containsEntry("StartDatabase", 1L).containsEntry("ScaleBack", 1L);
      assertThat(RunHistory.activityStarted(events, "RestoreBackup").getActivityTaskStartedEventAttributes().getAttempt())
          .as("the restore step ran again on the new worker").isGreaterThan(1);
      for (String once : List.of("ScaleDown", "StopDatabase", "MoveDataDirectoryAside")) {
        assertThat(RunHistory.activityStarted(events, once).getActivityTaskStartedEventAttributes().getAttempt())
            .as(once + " ran once").isEqualTo(1);
      }
      Histories.save(id, "recover-to-point-in-time");
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  private static void awaitEntries(Path directory) throws java.io.IOException {
    for (int i = 0; i < 1000; i++) {
      if (Files.isDirectory(directory)) {
        try (var entries = Files.list(directory)) {
          if (entries.findAny().isPresent()) {
            return;
          }
        }
      }
      Processes.sleep(5);
    }
    throw new AssertionError("pgbackrest wrote nothing into " + directory + " within 5 s");
  }

  /** The markers of completed restores in the runs' work directories beside the data directory. */
  private static List<Path> restoredMarkers(Path data) throws java.io.IOException {
    try (var siblings = Files.list(data.getParent())) {
      return siblings.filter(p -> p.getFileName().toString().startsWith(data.getFileName() + ".pitr_"))
          .map(p -> p.resolve("restored")).filter(Files::exists).toList();
    }
  }

  private static Map<String, Integer> replicas() {
    Map<String, Integer> now = new HashMap<>();
    APPS.keySet().forEach(n -> now.put(n, client.apps().deployments().inNamespace(NS).withName(n).get().getSpec().getReplicas()));
    return now;
  }

  private static String serverValue(String sql) throws Exception {
    try (var c = cluster.connect("postgres"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Instant serverTime(String sql) {
    try (var c = cluster.connect("postgres"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getTimestamp(1).toInstant();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
