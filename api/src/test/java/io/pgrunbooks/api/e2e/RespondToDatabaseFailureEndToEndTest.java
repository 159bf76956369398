package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.JavaProcess;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.RunHistory;
import io.pgrunbooks.harness.S3ProxyServer;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole failure runbook over HTTP against a real fault: the target's postmaster is killed with
 * SIGKILL while a client is connected. RespondToDatabaseFailure assesses SEV-1, diagnoses, runs
 * RecoverCrashedPod, whose restart bob approves; the worker is SIGKILLed while that approved
 * restart is in flight (its pg_ctl held at the door), and a new worker finishes it: the server is
 * started exactly once. The incident report is then checked field by field against what happened.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RespondToDatabaseFailureEndToEndTest {
  private static final String TARGET = "incident";
  private static final String DB = "shop";

  static PostgresCluster cluster;
  static Path wrappedBin;
  static Path door;
  static Path rules;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
    registry.add("pgrunbooks.targets." + TARGET + ".hosting", () -> "host");
  }

  @BeforeAll
  static void clusterAndTools() throws IOException {
    cluster = PostgresCluster.start(TARGET, Map.of("logging_collector", "on", "log_directory", "log"));
    cluster.execute("postgres", "create database " + DB);
    cluster.execute(DB, "create table orders (id int primary key)", "insert into orders select generate_series(1, 100)");
    wrappedBin = heldPgCtl(cluster.binDir());
    door = wrappedBin.resolve("open");
    rules = Files.createTempDirectory("e2e-rules-");
    Files.setPosixFilePermissions(rules, PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  @AfterAll
  static void cleanUp() throws IOException {
    Files.writeString(door, ""); // let a held pg_ctl go, whatever happened
    cluster.close();
  }

  /**
   * The cluster's binaries with pg_ctl wrapped: {@code pg_ctl start} waits until the file
   * {@code open} exists, so the test can kill the worker while the approved start is in flight.
   */
  private static Path heldPgCtl(Path bin) throws IOException {
    Path dir = Files.createTempDirectory("e2e-held-bin-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    try (Stream<Path> tools = Files.list(bin)) {
      for (Path tool : tools.toList()) {
        if (!tool.getFileName().toString().equals("pg_ctl")) {
          Files.createSymbolicLink(dir.resolve(tool.getFileName()), tool);
        }
      }
    }
    Path wrapper = dir.resolve("pg_ctl");
    Files.writeString(wrapper, """
        #!/bin/bash
        case " $* " in *" start "*) while [ ! -e '%s/open' ]; do sleep 0.05; done;; esac
        exec '%s' "$@"
        """.formatted(dir, bin.resolve("pg_ctl")), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  private static Map<String, String> workerOverrides() {
    Map<String, String> p = new HashMap<>(HostTargets.asProperties(TARGET, cluster));
    p.put("pgrunbooks.targets." + TARGET + ".host.bin-directory", wrappedBin.toString());
    p.put("pgrunbooks.targets." + TARGET + ".databases[0]", DB);
    p.put("pgrunbooks.artifacts.store", "e2e");
    p.put("pgrunbooks.watch.rules-directory", rules.toString());
    return p;
  }

  @Test
  void aCrashedServerIsRestartedOnceAcrossAWorkerCrashAndTheReportSaysWhatHappened() throws Exception {
    Http http = new Http(port);
    long startsBefore = readyLines();
    crash();
    JavaProcess first = StackFixture.startWorker(workerOverrides());
    JavaProcess second = null;
    try {
      Http.Response started = http.post("/api/runs", StackFixture.OPERATOR_TOKEN,
          "{\"runbook\":\"respond-to-database-failure\",\"target\":\"" + TARGET + "\"}");
      assertThat(started.status()).as(started.raw()).isEqualTo(202);
      String id = started.body().get("workflowId").asText();
      assertThat(id).isEqualTo("destructive/" + TARGET);
      String scenario = id + "/RecoverCrashedPod";

      // The parent's status lists the child's gate; bob approves it on the child's id.
      E2eRuns.approve(http, started.body().get("statusUrl").asText(), scenario, "restart-database", "crashed: start it");
      long held = E2eRuns.awaitChild(first, "bash", args -> args.contains(wrappedBin.resolve("pg_ctl").toString()) && args.contains("start"));
      first.kill();
      Processes.signal(held, "KILL");
      assertThat(serverUp()).as("the approved start had not happened when the worker died").isFalse();

      Files.writeString(door, "");
      second = StackFixture.startWorker(workerOverrides());
      JsonNode done = E2eRuns.finished(http, started);
      assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
      assertThat(serverUp()).isTrue();

      WorkflowClient client = WorkflowClient.newInstance(StackFixture.service());
      List<HistoryEvent> events = client.fetchHistory(scenario).getEvents();
      assertThat(E2eRuns.scheduled(events)).containsEntry("RestartDatabase", 1L);
      assertThat(RunHistory.activityStarted(events, "RestartDatabase").getActivityTaskStartedEventAttributes().getAttempt())
          .as("the restart ran again on the new worker").isGreaterThan(1);
      assertThat(readyLines() - startsBefore).as("the server was started exactly once").isEqualTo(1);

      JsonNode report = done.get("result");
      assertReport(report);
      assertAudit(http, id, scenario);
      Http.Response markdown = http.get("/api/reports/" + id, StackFixture.VIEWER_TOKEN);
      assertThat(markdown.status()).isEqualTo(200);
      assertThat(markdown.contentType()).startsWith("text/markdown");
      assertThat(markdown.raw()).isEqualTo(report.get("markdown").asText());
      String stored = report.get("storedAt").asText();
      try (Stream<Path> objects = Files.walk(S3ProxyServer.shared().dataDirectory())) {
        Path object = objects.filter(f -> f.toString().endsWith("/" + stored)).findFirst().orElseThrow(
            () -> new AssertionError("no object " + stored + " in the store"));
        assertThat(Files.readString(object)).as("the report kept in the artifact store").isEqualTo(markdown.raw());
      }
      try (Stream<Path> files = Files.list(rules)) {
        assertThat(files.map(f -> f.getFileName().toString()).toList()).as("the post-incident rules are installed")
            .anySatisfy(f -> assertThat(f).endsWith(".yml"));
      }
      Histories.save(id, "respond-to-database-failure");
    } finally {
      Files.writeString(door, "");
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  /** The parent's audit shows the scenario child's gate: bob, through the API, and what the restart then did. */
  private static void assertAudit(Http http, String id, String scenario) {
    JsonNode audit = http.get("/api/approvals/" + id, StackFixture.VIEWER_TOKEN).body();
    JsonNode child = null;
    for (JsonNode c : audit.get("children")) {
      child = scenario.equals(c.get("workflowId").asText()) ? c : child;
    }
    assertThat(child).as(audit.toString()).isNotNull();
    JsonNode gate = child.at("/gates/0");
    assertThat(gate.get("gateId").asText()).isEqualTo("restart-database");
    assertThat(gate.get("decidedBy").asText()).isEqualTo("bob");
    assertThat(gate.get("via").asText()).isEqualTo("api (signed)");
    assertThat(gate.get("comment").asText()).isEqualTo("crashed: start it");
    assertThat(gate.get("step")).as(gate.toString()).isNotEmpty();
    assertThat(gate.at("/step/0").asText()).doesNotStartWith("not done");
  }

  private static void assertReport(JsonNode r) {
    assertThat(r.get("target").asText()).isEqualTo(TARGET);
    assertThat(r.get("detection").asText()).isEqualTo("manual request by alice");
    assertThat(r.get("severity").asText()).as(r.toString()).isEqualTo("SEV-1");
    assertThat(r.get("responseTime").asText()).isEqualTo("< 15 min");
    assertThat(r.get("scenario").asText()).isEqualTo("RecoverCrashedPod");
    assertThat(r.get("scenarioChosenBy").asText()).isEqualTo("assessment");
    assertThat(r.get("outcome").asText()).isEqualTo("DONE");
    assertThat(text(r.get("rootCause"))).as("what the assessment found").anySatisfy(c -> assertThat(c).startsWith("database unavailable: pg_isready says "));
    assertThat(text(r.get("actions"))).singleElement().satisfies(a -> assertThat(a).startsWith("pg_ctl start of the server at " + cluster.dataDirectory()));
    JsonNode approval = r.get("approvals").get(0);
    assertThat(approval.get("gateId").asText()).isEqualTo("restart-database");
    assertThat(approval.get("approved").asBoolean()).isTrue();
    assertThat(approval.get("decidedBy").asText()).isEqualTo("bob");
    assertThat(approval.get("comment").asText()).isEqualTo("crashed: start it");
    assertThat(r.get("approvals")).hasSize(1);
    assertThat(r.get("resolved").asBoolean()).as(r.toString()).isTrue();
    assertThat(java.time.Instant.parse(r.get("resolvedAt").asText())).isAfter(java.time.Instant.parse(r.get("incidentStart").asText()));
    assertThat(r.get("resolutionTime").asText()).matches("(\\d+ h )?\\d+ min \\d+ s");
    assertThat(r.get("dataLoss").asText()).startsWith("no");
    assertThat(r.get("recoveryMethod").asText()).startsWith("pg_ctl start");
    assertThat(text(r.get("affectedDatabases"))).containsExactly(DB);
    assertThat(text(r.get("errorMessages"))).as("the server's own FATAL line, from its log")
        .anySatisfy(e -> assertThat(e).containsIgnoringCase("unexpected postmaster exit"));
    assertThat(text(r.get("validationProblems"))).isEmpty();
    assertThat(r.get("children").get("watch").asText()).isEqualTo("destructive/" + TARGET + "/watch");
    assertThat(r.get("markdown").asText()).contains("- **Severity**: SEV-1").contains("| restart-database | approved | bob |");
  }

  private static List<String> text(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  /** SIGKILL of the postmaster while a client is connected: the backend logs its FATAL line. */
  private static void crash() throws Exception {
    Connection client = cluster.connect(DB);
    long postmaster = cluster.postmasterPid();
    Processes.signal(postmaster, "KILL");
    for (int i = 0; i < 200 && ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false); i++) {
      Processes.sleep(50);
    }
    assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false)).as("the postmaster is gone").isFalse();
    try (Statement st = client.createStatement()) {
      st.execute("select 1");
    } catch (java.sql.SQLException expected) {
      // the backend ended with the postmaster
    } finally {
      client.close();
    }
    assertThat(serverUp()).isFalse();
  }

  private static boolean serverUp() {
    try (Connection c = cluster.connect(DB); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from orders")) {
      rs.next();
      return rs.getInt(1) == 100;
    } catch (java.sql.SQLException e) {
      return false;
    }
  }

  /** Starts of the server: "ready to accept connections" in its logs (logging_collector writes them to log/). */
  private static long readyLines() throws IOException {
    try (Stream<Path> logs = Files.list(cluster.dataDirectory().resolve("log"))) {
      long n = 0;
      for (Path log : logs.toList()) {
        n += Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains("ready to accept connections")).count();
      }
      return n;
    }
  }
}
