package io.pgrunbooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.JavaProcess;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.RunHistory;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run, three measurements of AssessDatabaseHealth on a healthy local cluster:
 *
 * <ol>
 *   <li>end to end over the REST API (POST /api/runs, then GET /api/runs/{id}?wait=30), through
 *       the Temporal dev server and the worker jar;
 *   <li>the same checks called directly, without Temporal, in the workflow's shape, interleaved
 *       with (1) so that both see the same machine noise;
 *   <li>how long a run takes to resume after its worker is SIGKILLed mid-activity.
 * </ol>
 *
 * Results go to stdout and to bench/results/latest.md. Run with {@code bash bench/run.sh}.
 */
public final class AssessmentBench {
  private static final String START_BODY =
      "{\"runbook\":\"assess-database-health\",\"target\":\"" + BenchStack.TARGET + "\"}";

  record E2eSample(double totalMs, double postMs, double getMs, RunTimeline timeline) {}

  record CrashSample(
      double retryStartedMs,
      double resumeMs,
      double runMs,
      double workerStartMs,
      double killAfterAttemptStartMs,
      double retryDueMs,
      int completedAttempt,
      boolean completedOnNewWorker) {}

  record Comparison(List<E2eSample> e2e, List<DirectAssessment.Sample> direct) {}

  private AssessmentBench() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
    int warmups = Integer.getInteger("bench.warmups", 3);
    int runs = Integer.getInteger("bench.runs", 20);
    int crashes = Integer.getInteger("bench.crashes", 5);
    Report.Machine machine = Report.Machine.now();
    Instant began = Instant.now();

    Comparison comparison;
    List<CrashSample> crashSamples;
    BenchStack stack = BenchStack.start(root);
    try (DirectAssessment direct = new DirectAssessment(BenchStack.TARGET, stack.demo())) {
      comparison = compare(stack, direct, warmups, runs);
      crashSamples = crashResume(stack, crashes);
    } finally {
      BenchStack.log("stopping the stack");
      stack.close();
    }

    String markdown =
        Report.markdown(machine, began, Instant.now(), Report.Machine.loadAverage(), warmups, comparison, crashSamples);
    Report.write(root, "latest.md", markdown);
    System.exit(0);
  }

  // ---- 1 and 2: end to end vs direct, interleaved -------------------------------------------

  static Comparison compare(BenchStack stack, DirectAssessment direct, int warmups, int runs) throws Exception {
    List<E2eSample> e2e = new ArrayList<>();
    List<DirectAssessment.Sample> plain = new ArrayList<>();
    for (int i = 0; i < warmups + runs; i++) {
      E2eSample e = endToEnd(stack);
      DirectAssessment.Sample d = direct.run();
      boolean warm = i >= warmups;
      BenchStack.log(
          String.format(
              "%s %2d: end to end %s (workflow %s), direct %s",
              warm ? "run   " : "warmup", warm ? i - warmups + 1 : i + 1,
              Stats.ms(e.totalMs()), Stats.ms(e.timeline().workflowMs()), Stats.ms(d.totalMs())));
      if (warm) {
        e2e.add(e);
        plain.add(d);
      }
    }
    return new Comparison(e2e, plain);
  }

  private static E2eSample endToEnd(BenchStack stack) {
    Http http = stack.http();
    long t0 = System.nanoTime();
    Http.Response started = http.post("/api/runs", stack.operatorToken, START_BODY);
    long t1 = System.nanoTime();
    if (started.status() != 202) {
      throw new IllegalStateException("POST /api/runs: " + started.status() + " " + started.raw());
    }
    Http.Response status = http.get(started.body().get("statusUrl").asText() + "?wait=30", stack.operatorToken);
    long t2 = System.nanoTime();
    JsonNode run = status.body();
    if (status.status() != 200
        || !"COMPLETED".equals(run.path("status").asText())
        || !"NONE".equals(run.at("/result/severity").asText())) {
      throw new IllegalStateException("run did not complete healthy: " + status.raw());
    }
    String id = started.body().get("workflowId").asText();
    String runId = started.body().get("runId").asText();
    RunTimeline timeline = RunTimeline.of(stack.client().fetchHistory(id, runId).getEvents());
    return new E2eSample((t2 - t0) / 1e6, (t1 - t0) / 1e6, (t2 - t1) / 1e6, timeline);
  }

  // ---- 3: resume after a worker SIGKILL ------------------------------------------------------

  /** Exactly like WorkerCrashTest: hang the readiness probe (postmaster SIGSTOPped), kill its worker. */
  static List<CrashSample> crashResume(BenchStack stack, int repetitions) throws Exception {
    List<CrashSample> samples = new ArrayList<>();
    Http http = stack.http();
    for (int rep = 1; rep <= repetitions; rep++) {
      JavaProcess victim = stack.worker();
      long postmaster = stack.demo().postmasterPid();
      String id;
      String runId;
      long killedAt;
      PendingActivityInfo inFlight;
      try {
        Processes.signal(postmaster, "STOP");
        Http.Response started = http.post("/api/runs", stack.operatorToken, START_BODY);
        if (started.status() != 202) {
          throw new IllegalStateException("POST /api/runs: " + started.status() + " " + started.raw());
        }
        id = started.body().get("workflowId").asText();
        runId = started.body().get("runId").asText();
        inFlight = RunHistory.awaitActivityStarted(stack.service(), id, runId, "CheckReadiness", Duration.ofSeconds(30));
        if (!inFlight.getLastWorkerIdentity().startsWith(victim.pid() + "@")) {
          throw new IllegalStateException("CheckReadiness runs on " + inFlight.getLastWorkerIdentity() + ", not pid " + victim.pid());
        }
        killedAt = victim.kill();
      } finally {
        Processes.signal(postmaster, "CONT");
      }
      double workerStart = stack.replaceWorker();
      long newWorker = stack.worker().pid();

      Http.Response status = http.get("/api/runs/" + id + "?wait=60", stack.operatorToken);
      JsonNode run = status.body();
      if (status.status() != 200
          || !"COMPLETED".equals(run.path("status").asText())
          || !"ACCEPTING".equals(run.at("/result/findings/readiness/state").asText())) {
        throw new IllegalStateException("run after the kill did not complete healthy: " + status.raw());
      }
      List<HistoryEvent> events = stack.client().fetchHistory(id, runId).getEvents();
      HistoryEvent readinessStarted = RunHistory.activityStarted(events, "CheckReadiness");
      HistoryEvent readinessCompleted =
          RunHistory.activityCompleted(events, "CheckReadiness")
              .orElseThrow(() -> new IllegalStateException("CheckReadiness of " + id + " did not complete"));
      HistoryEvent runCompleted =
          events.stream().filter(HistoryEvent::hasWorkflowExecutionCompletedEventAttributes).findFirst().orElseThrow();

      double attemptStart = RunTimeline.millis(inFlight.getLastStartedTime());
      CrashSample sample =
          new CrashSample(
              RunTimeline.millis(readinessStarted.getEventTime()) - killedAt,
              RunTimeline.millis(readinessCompleted.getEventTime()) - killedAt,
              RunTimeline.millis(runCompleted.getEventTime()) - killedAt,
              workerStart,
              killedAt - attemptStart,
              attemptStart + 10_000 + 500 - killedAt,
              readinessStarted.getActivityTaskStartedEventAttributes().getAttempt(),
              readinessStarted.getActivityTaskStartedEventAttributes().getIdentity().startsWith(newWorker + "@"));
      samples.add(sample);
      BenchStack.log(
          String.format(
              "crash %d: kill -> CheckReadiness completed %s, kill -> run completed %s, new worker polling after %s (attempt %d)",
              rep, Stats.ms(sample.resumeMs()), Stats.ms(sample.runMs()), Stats.ms(workerStart), sample.completedAttempt()));
    }
    return samples;
  }

  static Map<String, String> firstOutcomes(Comparison c) {
    return c.direct().isEmpty() ? Map.of() : c.direct().get(0).outcomes();
  }
}
