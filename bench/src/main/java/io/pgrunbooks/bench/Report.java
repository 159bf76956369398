package io.pgrunbooks.bench;

import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.TemporalDevServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** The results as a compact markdown table (printed, and written to bench/results/latest.md). */
final class Report {
  private Report() {}

  record Machine(String cpu, int cores, String loadBefore, String os, String java, String postgres, String temporal) {
    static Machine now() {
      String cpu = "unknown CPU";
      try {
        cpu =
            Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst()
                .orElse(cpu);
      } catch (IOException ignored) {
        // not Linux
      }
      String temporal;
      try {
        temporal =
            Processes.run(List.of(TemporalDevServer.cli().toString(), "--version"), null, Duration.ofSeconds(20))
                .trim()
                .replace('\n', ' ');
      } catch (RuntimeException e) {
        temporal = "Temporal CLI (version unknown)";
      }
      return new Machine(
          cpu,
          Runtime.getRuntime().availableProcessors(),
          loadAverage(),
          System.getProperty("os.name") + " " + System.getProperty("os.version"),
          System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
          "PostgreSQL " + PostgresCluster.binDirectory().getParent().getFileName(),
          temporal);
    }

    static String loadAverage() {
      try {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return f[0] + " " + f[1] + " " + f[2];
      } catch (IOException e) {
        return "n/a";
      }
    }
  }

  static String markdown(
      Machine m,
      Instant began,
      Instant ended,
      String loadAfter,
      int warmups,
      AssessmentBench.Comparison c,
      List<AssessmentBench.CrashSample> crashes) {
    StringBuilder md = new StringBuilder();
    List<AssessmentBench.E2eSample> e2e = c.e2e();
    List<DirectAssessment.Sample> direct = c.direct();
    Stats e2eStats = Stats.of(map(e2e, AssessmentBench.E2eSample::totalMs));
    Stats directStats = Stats.of(map(direct, DirectAssessment.Sample::totalMs));
    double share = (e2eStats.median() - directStats.median()) / e2eStats.median() * 100;
    double ratio = e2eStats.median() / directStats.median();

    md.append("# AssessDatabaseHealth benchmark\n\n");
    header(md, m, began, ended, loadAfter, "");
    md.append("- Stack on loopback: Temporal dev server (SQLite), worker jar and API jar each in its own JVM (-Xmx512m), "
        + "one PostgreSQL cluster as target `demo` (host hosting)\n\n");

    md.append("## 1-2. End to end vs the same checks without Temporal\n\n");
    md.append(String.format(Locale.ROOT, "%d runs each after %d warm-ups, interleaved (one end to end, one direct).%n%n",
        e2e.size(), warmups));
    md.append("| | median | p90 | min | max |\n|---|---:|---:|---:|---:|\n");
    row(md, "End to end: `POST /api/runs` → `GET /api/runs/{id}?wait=30` completed", e2eStats);
    row(md, "Direct: describeTarget → checkReadiness beside disk and memory → 4 SQL checks in parallel", directStats);
    md.append(String.format(Locale.ROOT,
        "%n**Orchestration share** (e2e median − direct median) / e2e median = **%.1f %%**; "
            + "ratio e2e / direct = **%.1f×**. Targets: end to end < 2 s (%s), orchestration < 20 %% (%s).%n%n",
        share, ratio,
        e2eStats.median() < 2000 ? "met" : "missed",
        share < 20 ? "met" : "missed"));

    md.append("Where the time goes (medians; workflow stages from the server's event times in each run's history):\n\n");
    md.append("| stage | end to end | direct |\n|---|---:|---:|\n");
    pair(md, "first workflow task (describeTarget as a local activity, schedules pg_isready and hosting checks)", e2e, t -> t.timeline().firstTaskMs(), direct, DirectAssessment.Sample::describeMs);
    pair(md, "checkReadiness (scheduled → completed; hosting checks run beside it)", e2e, t -> t.timeline().readinessMs(), direct, DirectAssessment.Sample::readinessMs);
    pair(md, "workflow task scheduling the SQL checks", e2e, t -> t.timeline().afterReadinessTaskMs(), direct, d -> Double.NaN);
    pair(md, "4 SQL checks in parallel (first scheduled → last completed)", e2e, t -> t.timeline().sqlChecksMs(), direct, DirectAssessment.Sample::sqlChecksMs);
    pair(md, "last workflow task (classify, complete)", e2e, t -> t.timeline().lastTaskMs(), direct, d -> Double.NaN);
    pair(md, "workflow started → completed", e2e, t -> t.timeline().workflowMs(), direct, DirectAssessment.Sample::totalMs);
    pair(md, "API and client around it (e2e − workflow)", e2e, t -> t.totalMs() - t.timeline().workflowMs(), direct, d -> Double.NaN);
    pair(md, "… of which `POST /api/runs` round trip", e2e, AssessmentBench.E2eSample::postMs, direct, d -> Double.NaN);
    pair(md, "mean activity schedule-to-start (task queue dispatch)", e2e, t -> t.timeline().meanScheduleToStartMs(), direct, d -> Double.NaN);
    List<Double> tasks = map(e2e, t -> (double) t.timeline().workflowTasks());
    Stats taskStats = Stats.of(tasks);
    md.append(String.format(Locale.ROOT, "%nWorkflow tasks per run: median %.0f (%.0f to %.0f). ",
        taskStats.median(), taskStats.min(), taskStats.max()));
    md.append("Direct checks outside an activity: ");
    StringBuilder notes = new StringBuilder();
    for (Map.Entry<String, String> o : AssessmentBench.firstOutcomes(c).entrySet()) {
      if (!o.getValue().equals("ok")) {
        String why = o.getValue().endsWith(".") ? o.getValue().substring(0, o.getValue().length() - 1) : o.getValue();
        notes.append(notes.isEmpty() ? "" : "; ").append(o.getKey()).append(" ").append(why);
      }
    }
    md.append(notes.isEmpty() ? "all ran" : notes).append(".\n\n");

    md.append("## 3. Resume after a worker SIGKILL\n\n");
    md.append("Postmaster SIGSTOPped, run started, worker SIGKILLed once CheckReadiness is STARTED, postmaster SIGCONTed, "
        + "a fresh worker JVM started (as WorkerCrashTest). Times from the kill (wall clock) to the history's event times.\n\n");
    md.append("| rep | kill → CheckReadiness completed | kill → run completed | new worker start → polling "
        + "| kill after attempt 1 started | retry due (timeout + backoff) | retry started | attempt / on new worker |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (int i = 0; i < crashes.size(); i++) {
      AssessmentBench.CrashSample s = crashes.get(i);
      md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %d / %s |%n", i + 1,
          Stats.ms(s.resumeMs()), Stats.ms(s.runMs()), Stats.ms(s.workerStartMs()),
          Stats.ms(s.killAfterAttemptStartMs()), Stats.ms(s.retryDueMs()), Stats.ms(s.retryStartedMs()),
          s.completedAttempt(),
          s.completedOnNewWorker() ? "yes" : "NO"));
    }
    md.append(String.format(Locale.ROOT, "| **median** | **%s** | **%s** | **%s** | %s | %s | %s | |%n",
        Stats.ms(Stats.median(map(crashes, AssessmentBench.CrashSample::resumeMs))),
        Stats.ms(Stats.median(map(crashes, AssessmentBench.CrashSample::runMs))),
        Stats.ms(Stats.median(map(crashes, AssessmentBench.CrashSample::workerStartMs))),
        Stats.ms(Stats.median(map(crashes, AssessmentBench.CrashSample::killAfterAttemptStartMs))),
        Stats.ms(Stats.median(map(crashes, AssessmentBench.CrashSample::retryDueMs))),
        Stats.ms(Stats.median(map(crashes, AssessmentBench.CrashSample::retryStartedMs)))));
    md.append("\nA short activity does not heartbeat, so the server learns of the dead worker only when the attempt's "
        + "start-to-close timeout (10 s, AssessmentTimeouts.CHECK) expires; the retry is then scheduled after the "
        + "retry policy's initial interval (0.5 s) and picked up by the new worker, which is already polling if it "
        + "started within that time. The resume is therefore bounded by about 10.5 s from the attempt's start "
        + "(\"retry due\", counted from the kill), not by the new worker's start-up; what follows \"retry started\" "
        + "is the probe on a cold JVM and, for the run, the SQL checks and workflow tasks replayed on the new worker.\n");
    return md.toString();
  }

  /** The run's times and the machine, as list items; {@code more} (e.g. other versions) after the versions. */
  static void header(StringBuilder md, Machine m, Instant began, Instant ended, String loadAfter, String more) {
    md.append("- Run: ").append(began.truncatedTo(ChronoUnit.SECONDS)).append(" to ")
        .append(ended.truncatedTo(ChronoUnit.SECONDS)).append(" (UTC)\n");
    md.append("- Machine: ").append(m.cores()).append(" cores (").append(m.cpu()).append("), shared; load average ")
        .append(m.loadBefore()).append(" before, ").append(loadAfter).append(" after\n");
    md.append("- ").append(m.os()).append("; ").append(m.java()).append("; ").append(m.postgres()).append("; ")
        .append(m.temporal()).append(more).append('\n');
  }

  /** Prints the results and writes them to bench/results/{@code file}. */
  static void write(Path root, String file, String markdown) throws IOException {
    System.out.println();
    System.out.println(markdown);
    Path out = root.resolve("bench/results").resolve(file);
    Files.createDirectories(out.getParent());
    Files.writeString(out, markdown);
    BenchStack.log("written to " + root.relativize(out));
  }

  private static void row(StringBuilder md, String name, Stats s) {
    md.append(String.format(Locale.ROOT, "| %s | **%s** | %s | %s | %s |%n",
        name, Stats.ms(s.median()), Stats.ms(s.p90()), Stats.ms(s.min()), Stats.ms(s.max())));
  }

  private static <A, B> void pair(
      StringBuilder md, String name, List<A> a, ToDoubleFunction<A> fa, List<B> b, ToDoubleFunction<B> fb) {
    double left = Stats.median(a.stream().map(x -> fa.applyAsDouble(x)).toList());
    double right = Stats.median(b.stream().map(x -> fb.applyAsDouble(x)).toList());
    md.append("| ").append(name).append(" | ").append(Stats.ms(left)).append(" | ")
        .append(Double.isNaN(right) ? "–" : Stats.ms(right)).append(" |\n");
  }

  private static <T> List<Double> map(List<T> list, Function<T, Double> f) {
    return list.stream().map(f).toList();
  }
}
