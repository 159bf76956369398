package io.pgrunbooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.StreamingReplica;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The failure runbook's parts on one local stack (the end-to-end tests' one, as {@link
 * AssessmentBench} runs it), each with its fault made real before every run:
 *
 * <ol>
 *   <li>diagnose-database on a healthy cluster: POST /api/runs to the result of GET ?wait=30;
 *   <li>each repair scenario (2, 4, 5, 1, 3), every gate approved as soon as the run's status shows
 *       it: (a) POST to the run completed (its history's WorkflowExecutionCompleted), (b) the time
 *       spent at gates (see {@link RunAnatomy}), (c) = (a) − (b), the scenario's own time;
 *   <li>respond-to-database-failure on a crashed server, the same three figures, its gates being
 *       those of its RecoverCrashedPod child.
 * </ol>
 *
 * Rounds run every part once, in that order, so that all see the same machine noise. Results go to
 * bench/results/scenarios-latest.md. Run with {@code bash bench/run-scenarios.sh}.
 */
public final class ScenarioBench {
  static final String REPLICA = "bench_replica";

  /** A condition made real before a run; what it returns is closed after the run (null: nothing). */
  interface Condition {
    AutoCloseable prepare() throws Exception;
  }

  /** One part of the benchmark: a runbook, its start body and its fault. */
  record Part(String key, String runbook, String condition, String body, Condition setUp) {}

  /** One run: POST → completed, gate waits, stages (see {@link RunAnatomy}), the result's outcome. */
  record Sample(String key, double wallMs, double gateWaitMs, int gates, Map<String, Double> stages, String outcome) {
    double ownMs() {
      return wallMs - gateWaitMs;
    }
  }

  private final BenchStack stack;
  private final List<Part> parts;

  private ScenarioBench(BenchStack stack, List<Part> parts) {
    this.stack = stack;
    this.parts = parts;
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
    int warmups = Integer.getInteger("bench.scenarios.warmups", 1);
    int runs = Integer.getInteger("bench.scenarios.runs", 5);
    Report.Machine machine = Report.Machine.now();
    Instant began = Instant.now();
    Path rules = java.nio.file.Files.createDirectories(root.resolve("bench/target/scenario-bench/rules"));

    AtomicReference<StreamingReplica> replica = new AtomicReference<>();
    BenchStack stack = null;
    List<Sample> samples = new ArrayList<>();
    List<String> loads = new ArrayList<>();
    try {
      stack = BenchStack.start(root, ScenarioConditions.SETTINGS, demo -> {
        ScenarioConditions.setUp(demo);
        replica.set(StreamingReplica.start(demo, REPLICA, null));
        return workerProperties(demo, replica.get(), rules);
      });
      ScenarioConditions conditions = new ScenarioConditions(stack.demo(), replica.get());
      ScenarioBench bench = new ScenarioBench(stack, parts(conditions));
      for (int i = 0; i < warmups + runs; i++) {
        boolean warm = i >= warmups;
        String load = Report.Machine.loadAverage();
        List<Sample> round = bench.round(conditions);
        loads.add(load + " → " + Report.Machine.loadAverage());
        StringBuilder line = new StringBuilder(String.format("%s %d:", warm ? "round " : "warmup", warm ? i - warmups + 1 : i + 1));
        for (Sample s : round) {
          line.append(String.format(" %s %s (gates %s, own %s, %s);", s.key(), Stats.ms(s.wallMs()), Stats.ms(s.gateWaitMs()),
              Stats.ms(s.ownMs()), s.outcome()));
        }
        BenchStack.log(line.toString());
        if (warm) {
          samples.addAll(round);
        }
      }
    } finally {
      BenchStack.log("stopping the stack");
      if (stack != null) {
        stack.close();
      }
      if (replica.get() != null) {
        replica.get().close();
      }
    }
    String markdown = ScenarioReport.markdown(machine, began, Instant.now(), Report.Machine.loadAverage(), warmups, runs,
        parts(null), samples, loads);
    Report.write(root, "scenarios-latest.md", markdown);
    System.exit(0);
  }

  /** The target's replica and the post-incident watch's rules directory, as worker properties. */
  private static Map<String, String> workerProperties(PostgresCluster demo, StreamingReplica replica, Path rules) {
    String t = "pgrunbooks.targets." + BenchStack.TARGET + ".";
    Map<String, String> p = new LinkedHashMap<>();
    p.put(t + "databases[0]", "postgres");
    p.put(t + "replicas[0].jdbc-url", replica.jdbcUrl());
    p.put(t + "replicas[0].user", "postgres");
    p.put(t + "replicas[0].password-ref", demo.passwordRef());
    p.put(t + "replication.replicas[0].name", REPLICA);
    p.put(t + "replication.replicas[0].data-directory", replica.dataDirectory().toString());
    p.put(t + "replication.replicas[0].bin-directory", demo.binDir().toString());
    p.put(t + "replication.replicas[0].os-user", "postgres");
    p.put("pgrunbooks.watch.rules-directory", rules.toString());
    return p;
  }

  /** The parts in the order a round runs them; {@code c} null: for their names only. */
  static List<Part> parts(ScenarioConditions c) {
    String target = "\"target\":\"" + BenchStack.TARGET + "\"";
    return List.of(
        new Part("diagnose-database", "diagnose-database", "healthy cluster",
            "{\"runbook\":\"diagnose-database\"," + target + "}", () -> null),
        new Part("S2 relieve-connection-exhaustion", "relieve-connection-exhaustion",
            ScenarioConditions.IDLE_SESSIONS + " idle sessions of an application role; idleMinutes 0",
            "{\"runbook\":\"relieve-connection-exhaustion\"," + target + ",\"idleMinutes\":0}", c == null ? null : c::idleSessions),
        new Part("S4 resolve-slow-queries", "resolve-slow-queries",
            "pg_sleep(60) running over 1 s; a session idle in transaction holding a row lock another waits for; seconds 1",
            "{\"runbook\":\"resolve-slow-queries\"," + target + ",\"seconds\":1}", c == null ? null : c::slowQueryAndBlocker),
        new Part("S5 reclaim-disk-space", "reclaim-disk-space",
            ScenarioConditions.OLD_LOGS + " server log files of 1 MiB, 30 days old, in log_directory",
            "{\"runbook\":\"reclaim-disk-space\"," + target + "}", c == null ? null : () -> {
              c.oldServerLogs();
              return c::removeOldServerLogs;
            }),
        new Part("S1 recover-crashed-pod", "recover-crashed-pod",
            "postmaster SIGKILLed (a client connected); host hosting: pg_ctl start",
            "{\"runbook\":\"recover-crashed-pod\"," + target + "}", c == null ? null : () -> {
              c.crash();
              return c::ensureUp;
            }),
        new Part("S3 repair-replication-lag", "repair-replication-lag",
            "streaming replica stopped, " + ScenarioConditions.REPLICA_ROWS + " rows written to the primary; defaults"
                + " (sampleSeconds 15, maxLagBytes 1 MiB)",
            "{\"runbook\":\"repair-replication-lag\"," + target + "}", c == null ? null : () -> {
              c.replicaBehind();
              return null;
            }),
        new Part("respond-to-database-failure", "respond-to-database-failure",
            "postmaster SIGKILLed, as S1; the whole response (assess, diagnose, RecoverCrashedPod child, validate, watch, report)",
            "{\"runbook\":\"respond-to-database-failure\"," + target + "}", c == null ? null : () -> {
              c.crash();
              return c::ensureUp;
            }));
  }

  private List<Sample> round(ScenarioConditions conditions) throws Exception {
    List<Sample> round = new ArrayList<>();
    for (Part part : parts) {
      round.add(part.key().equals("diagnose-database") ? diagnose(part) : scenario(part));
    }
    return round;
  }

  /** POST, then the result by GET ?wait=30, as AssessmentBench times AssessDatabaseHealth. */
  private Sample diagnose(Part part) {
    Http http = stack.http();
    long t0 = System.nanoTime();
    Http.Response started = post(http, part);
    JsonNode run = http.get(started.body().get("statusUrl").asText() + "?wait=30", stack.operatorToken).body();
    double wall = (System.nanoTime() - t0) / 1e6;
    if (!"COMPLETED".equals(run.path("status").asText())) {
      throw new IllegalStateException(part.key() + " did not complete: " + run);
    }
    RunAnatomy anatomy = RunAnatomy.of(stack.client(), started.body().get("workflowId").asText(), started.body().get("runId").asText());
    int findings = run.at("/result/findings").size();
    return new Sample(part.key(), wall, anatomy.gateWaitMs(), anatomy.gates(), anatomy.stages(), findings + " finding(s)");
  }

  /** The condition, POST, every gate approved as soon as it shows, until the run is no longer RUNNING. */
  private Sample scenario(Part part) throws Exception {
    Http http = stack.http();
    AutoCloseable cleanUp = part.setUp().prepare();
    JsonNode run;
    long t0;
    Http.Response started;
    try {
      t0 = System.currentTimeMillis();
      started = post(http, part);
      run = stack.approveUntilDone(http, started.body().get("statusUrl").asText());
    } finally {
      if (cleanUp != null) {
        cleanUp.close();
      }
    }
    String id = started.body().get("workflowId").asText();
    RunAnatomy anatomy = RunAnatomy.of(stack.client(), id, started.body().get("runId").asText());
    for (String child : anatomy.openChildren()) {
      try {
        stack.client().newUntypedWorkflowStub(child).terminate("benchmark: the next round starts another");
      } catch (RuntimeException closedMeanwhile) {
        // it finished by itself
      }
    }
    if (!"COMPLETED".equals(run.path("status").asText())) {
      throw new IllegalStateException(part.key() + " did not complete: " + run);
    }
    JsonNode result = run.path("result");
    String outcome = result.has("status") ? result.path("status").asText()
        : result.path("outcome").asText() + (result.path("resolved").asBoolean() ? ", resolved" : ", NOT resolved");
    return new Sample(part.key(), anatomy.completedAtMs() - t0, anatomy.gateWaitMs(), anatomy.gates(), anatomy.stages(), outcome);
  }

  private Http.Response post(Http http, Part part) {
    return stack.startRun(http, part.key(), part.body());
  }
}
