package io.pgrunbooks.bench;

import io.pgrunbooks.bench.ScenarioBench.Part;
import io.pgrunbooks.bench.ScenarioBench.Sample;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The failure-runbook benchmark's results as markdown (printed, and written to bench/results/scenarios-latest.md). */
final class ScenarioReport {
  /** Stages shown per part, largest median first. */
  private static final int STAGES = 7;
  /** The seed's response time for SEV-1 (database down), the shortest it gives. */
  private static final double SEV1_MS = 15 * 60 * 1000;

  private ScenarioReport() {}

  static String markdown(
      Report.Machine m, Instant began, Instant ended, String loadAfter, int warmups, int runs, List<Part> parts,
      List<Sample> samples, List<String> loads) {
    StringBuilder md = new StringBuilder("# Failure runbook benchmark\n\n");
    Report.header(md, m, began, ended, loadAfter, "");
    md.append("- Stack on loopback: Temporal dev server (SQLite), worker jar and API jar each in its own JVM, one PostgreSQL "
        + "cluster as target `demo` (host hosting, logging_collector on) with one streaming replica configured as its "
        + "`replication.replicas[0]`; no artifact store (the incident report is not stored: one failed activity, not retried)\n");
    md.append(String.format(Locale.ROOT, "- %d rounds after %d warm-up round(s); each round runs every part once, in the "
        + "table's order; gates approved by another user as soon as the run's status (polled every 50 ms) lists them%n", runs, warmups));
    md.append("- Load average (1, 5, 15 min) before → after each round: ").append(String.join("; ", loads)).append("\n\n");

    md.append("(a) `POST /api/runs` → run completed (diagnose-database: → the result of `GET ?wait=30`; the scenarios: → the "
        + "history's WorkflowExecutionCompleted, same clock); (b) waiting at gates: from the workflow task that opened each "
        + "gate (upsert of `AwaitingApproval` = true) to its `approve` signal in the history; (c) = (a) − (b), the "
        + "runbook's own time. Medians and p90 (nearest rank) of the rounds.\n\n");
    md.append("| runbook | condition | gates | (a) median | (a) p90 | (b) median | (b) p90 | (c) median | (c) p90 | (c) / 15 min | outcomes |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Part part : parts) {
      List<Sample> mine = of(samples, part.key());
      Stats a = Stats.of(mine.stream().map(Sample::wallMs).toList());
      Stats b = Stats.of(mine.stream().map(Sample::gateWaitMs).toList());
      Stats c = Stats.of(mine.stream().map(Sample::ownMs).toList());
      String gates = mine.stream().map(s -> Integer.toString(s.gates())).distinct().collect(Collectors.joining("/"));
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | **%s** | %s | %.2f %% | %s |%n", part.key(),
          part.condition(), gates, Stats.ms(a.median()), Stats.ms(a.p90()), Stats.ms(b.median()), Stats.ms(b.p90()),
          Stats.ms(c.median()), Stats.ms(c.p90()), c.median() / SEV1_MS * 100, outcomes(mine)));
    }
    md.append("\nFor scale, the seed's response times: SEV-1 15 min, SEV-2 30 min, SEV-3 2 h (the time a person has to respond); "
        + "the column (c) / 15 min is the runbook's own time as a share of SEV-1's.\n\n");

    md.append("## Where the time goes\n\nPer part, the largest stages by median over the rounds (from the histories: an "
        + "activity type from scheduled to closed, summed over its runs; timers; child workflows from initiated to closed, "
        + "their own stages prefixed with their type). Activities in parallel overlap.\n\n");
    for (Part part : parts) {
      List<Sample> mine = of(samples, part.key());
      Map<String, Double> medians = new LinkedHashMap<>();
      for (String stage : new TreeSet<>(mine.stream().flatMap(s -> s.stages().keySet().stream()).toList())) {
        medians.put(stage, Stats.median(mine.stream().map(s -> s.stages().getOrDefault(stage, 0.0)).toList()));
      }
      // The run's own stages, then each child's (keys "Type: stage"), largest first.
      Map<String, Map<String, Double>> byRun = new TreeMap<>();
      medians.forEach((stage, ms) -> {
        int colon = stage.indexOf(": ");
        String run = colon < 0 ? "" : stage.substring(0, colon);
        byRun.computeIfAbsent(run, r -> new LinkedHashMap<>()).put(colon < 0 ? stage : stage.substring(colon + 2), ms);
      });
      byRun.forEach((run, stages) -> {
        md.append(run.isEmpty() ? "**" + part.key() + "**: " : "- within " + run + ": ");
        md.append(stages.entrySet().stream()
            .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
            .limit(run.isEmpty() ? STAGES : 4)
            .map(e -> e.getKey() + " " + Stats.ms(e.getValue()))
            .collect(Collectors.joining("; ")));
        md.append("\n");
      });
      md.append("\n");
    }

    md.append("## Every round\n\n| runbook | (a) | (b) | (c) |\n|---|---|---|---|\n");
    for (Part part : parts) {
      List<Sample> mine = of(samples, part.key());
      md.append("| ").append(part.key()).append(" | ").append(list(mine, Sample::wallMs)).append(" | ")
          .append(list(mine, Sample::gateWaitMs)).append(" | ").append(list(mine, Sample::ownMs)).append(" |\n");
    }
    return md.toString();
  }

  private static List<Sample> of(List<Sample> samples, String key) {
    return samples.stream().filter(s -> s.key().equals(key)).toList();
  }

  private static String outcomes(List<Sample> mine) {
    return mine.stream().collect(Collectors.groupingBy(Sample::outcome, LinkedHashMap::new, Collectors.counting()))
        .entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(", "));
  }

  private static String list(List<Sample> mine, java.util.function.ToDoubleFunction<Sample> f) {
    return mine.stream().map(s -> Stats.ms(f.applyAsDouble(s))).collect(Collectors.joining(", "));
  }
}
