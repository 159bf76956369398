package io.pgrunbooks.bench;

import static io.pgrunbooks.bench.BackupFailureBench.AFTER_APPROVAL;
import static io.pgrunbooks.bench.BackupFailureBench.BACKUP_CHILD;
import static io.pgrunbooks.bench.BackupFailureBench.BARE_BACKUP;
import static io.pgrunbooks.bench.BackupFailureBench.BARE_VERIFY;
import static io.pgrunbooks.bench.BackupFailureBench.CHECKS;
import static io.pgrunbooks.bench.BackupFailureBench.POST_TO_START;
import static io.pgrunbooks.bench.BackupFailureBench.VERIFY_CHILD;

import io.pgrunbooks.bench.BackupFailureBench.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The backup-failure benchmark's results as markdown (printed, and written to bench/results/backup-failure-latest.md). */
final class BackupFailureReport {
  /** Activities of the runbook itself shown, largest median first. */
  private static final int ACTIVITIES = 12;

  private BackupFailureReport() {}

  static String markdown(
      Report.Machine m, Instant began, Instant ended, String loadAfter, int warmups, int runs, String database,
      boolean prometheus, List<Sample> samples, List<String> loads) {
    List<Sample> a = of(samples, "runbook");
    List<Sample> b = of(samples, "bare");
    StringBuilder md = new StringBuilder("# Backup-failure runbook benchmark\n\n");
    Report.header(md, m, began, ended, loadAfter, "");
    md.append("- Database `").append(BackupFailureBench.DATABASE).append("`: ").append(database)
        .append("; both targets are this database on the same cluster, backed up in the default (compatible) format\n");
    md.append("- Stack on loopback: Temporal dev server (SQLite), worker jar and API jar each in its own JVM, one PostgreSQL "
        + "cluster, s3proxy (filesystem store) in its own JVM; ")
        .append(prometheus ? "the real Prometheus scraping the worker every second (step 1 queries it)"
            : "no Prometheus (step 1 says it is not configured)")
        .append("; incident reports stored in the healthy store\n");
    md.append(String.format(Locale.ROOT, "- %d rounds after %d warm-up round(s), alternating which variant goes first; "
        + "the gate approved by another user through the API as soon as the run's status (polled every 50 ms) lists it, "
        + "then the end awaited with one long poll (`GET ?wait=30`), as (b) awaits its runs%n",
        runs, warmups));
    md.append("- Load average (1, 5, 15 min) before → after each round: ").append(String.join("; ", loads)).append("\n\n");

    md.append("(a) **runbook**: target `").append(BackupFailureBench.MISSING).append("`, its bucket deleted and a nightly "
        + "backup failed for real (StorageNotFound) before each run, untimed; `POST /api/runs` respond-to-backup-failure → "
        + "the history's WorkflowExecutionCompleted (VERIFIED). Its own time = that − the time at the gate (from the "
        + "workflow task that opened it to its `approve` signal). (b) **bare**: target `").append(BackupFailureBench.HEALTHY)
        .append("`, its bucket emptied before each run; `POST` backup-databases, its result, `POST` verify-backup of its "
            + "metadata key → that run's WorkflowExecutionCompleted. Medians and p90 (nearest rank) of the rounds.\n\n");

    md.append("| | median | p90 | min | max |\n|---|---:|---:|---:|---:|\n");
    row(md, "(a) runbook, POST → VERIFIED", a, Sample::wallMs);
    row(md, "(a) at the gate (opened → approve signal)", a, Sample::gateWaitMs);
    row(md, "**(a) runbook's own time** (POST → VERIFIED − gate)", a, Sample::ownMs);
    row(md, "**(b) bare: backup-databases, then verify-backup**", b, Sample::wallMs);
    List<Double> ratios = paired(a, b, (x, y) -> x.ownMs() / y.wallMs());
    Stats r = Stats.of(ratios);
    md.append(String.format(Locale.ROOT, "| (a) own / (b), paired by round | **%.2f×** | %.2f× | %.2f× | %.2f× |%n%n",
        r.median(), r.p90(), r.min(), r.max()));

    double own = Stats.median(values(a, Sample::ownMs));
    double bare = Stats.median(values(b, Sample::wallMs));
    List<Double> checks = values(a, s -> s.phases().get(POST_TO_START) + s.phases().get(CHECKS));
    List<Double> before = values(a, s -> s.phases().get(POST_TO_START) + s.phases().get(CHECKS) + s.phases().get(AFTER_APPROVAL));
    md.append(String.format(Locale.ROOT, "- **Ratio (a) own / (b): %.2f×** by medians (%s / %s), %.2f× paired; the runbook "
            + "adds %s to the same backup and verification.%n", own / bare, Stats.ms(own), Stats.ms(bare), r.median(),
        Stats.ms(own - bare)));
    md.append(String.format(Locale.ROOT, "- **Checks' share: %.1f %%** of the runbook's own time (%s): `POST` to the gate "
            + "opening, i.e. steps 1 to 5's checks up to the store probe that finds the bucket missing. **Before the backup "
            + "in all: %.1f %%** (%s): that, plus after the approval the decision's signature check, the bucket's creation, "
            + "the second probe, the replication read and the storage step, up to the backup child's start. Medians of the "
            + "rounds' shares.%n%n",
        Stats.median(shares(checks, a)) * 100, Stats.ms(Stats.median(checks)),
        Stats.median(shares(before, a)) * 100, Stats.ms(Stats.median(before))));

    md.append("## Phases\n\nFrom the histories (server clock) and the client's clock at `POST`; the runbook's phases add up "
        + "to its own time, the bare ones to (b).\n\n| variant | phase | median | p90 | share of the median total |\n"
        + "|---|---|---:|---:|---:|\n");
    phases(md, "(a) runbook", a, own);
    phases(md, "(b) bare", b, bare);

    md.append("\nThe same work inside and outside the runbook:\n\n| | in the runbook (child) | bare (own run) | ratio |\n"
        + "|---|---:|---:|---:|\n");
    compare(md, "backup (BackupDatabases, initiated → closed / started → completed)", a, BACKUP_CHILD, b, BARE_BACKUP);
    compare(md, "verification (VerifyBackup)", a, VERIFY_CHILD, b, BARE_VERIFY);

    md.append("\n## The runbook's own activities\n\nScheduled → closed, summed per type over the run (ProbeObjectStore runs "
        + "twice: before the gate and after the bucket is created), medians; the children's activities are in the phases "
        + "above.\n\n");
    Map<String, Double> medians = new LinkedHashMap<>();
    for (String stage : new TreeSet<>(a.stream().flatMap(s -> s.activities().keySet().stream()).toList())) {
      if (!stage.contains(": ") && !stage.startsWith("child ") && !stage.equals(RunAnatomy.GATE_WAIT)) {
        medians.put(stage, Stats.median(values(a, s -> s.activities().getOrDefault(stage, 0.0))));
      }
    }
    md.append(medians.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
        .limit(ACTIVITIES)
        .map(e -> e.getKey() + " " + Stats.ms(e.getValue()))
        .collect(Collectors.joining("; "))).append("\n\n");

    Sample last = a.getLast();
    md.append("## The last round's runbook, step by step\n\nFrom its history, ms from WorkflowExecutionStarted: workflow "
        + "tasks (scheduled → completed), activities (scheduled → closed), children (initiated → closed); points (markers "
        + "such as the local activity that checks the approval's signature, the gate's search attribute, signals) have no "
        + "duration. Own time ").append(Stats.ms(last.ownMs())).append(", gate ").append(Stats.ms(last.gateWaitMs()))
        .append(".\n\n| from | to | ms | step |\n|---:|---:|---:|---|\n");
    for (RunAnatomy.Span s : last.timeline()) {
      boolean point = s.toMs() == s.fromMs();
      md.append(String.format(Locale.ROOT, "| %.0f | %s | %s | %s |%n", s.fromMs(), point ? "" : String.format(Locale.ROOT, "%.0f", s.toMs()),
          point ? "" : String.format(Locale.ROOT, "%.0f", s.toMs() - s.fromMs()), s.what()));
    }
    md.append("\n## Every round\n\n| round | first | (a) POST → VERIFIED | (a) gate | (a) own | of it: checks | before the "
        + "backup | backup child | verify child | (b) bare | bare backup | bare verify | (a) own / (b) | outcome |\n"
        + "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (int i = 0; i < a.size(); i++) {
      Sample x = a.get(i);
      Sample y = b.get(i);
      md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2f× | %s |%n", i + 1,
          x.first() ? "(a)" : "(b)", Stats.ms(x.wallMs()), Stats.ms(x.gateWaitMs()), Stats.ms(x.ownMs()), Stats.ms(checks.get(i)),
          Stats.ms(before.get(i)), Stats.ms(x.phases().get(BACKUP_CHILD)), Stats.ms(x.phases().get(VERIFY_CHILD)),
          Stats.ms(y.wallMs()), Stats.ms(y.phases().get(BARE_BACKUP)), Stats.ms(y.phases().get(BARE_VERIFY)), ratios.get(i),
          x.outcome()));
    }
    return md.toString();
  }

  /** Each round's {@code parts} as a share of its runbook's own time. */
  private static List<Double> shares(List<Double> parts, List<Sample> a) {
    return IntStream.range(0, a.size()).mapToObj(i -> parts.get(i) / a.get(i).ownMs()).toList();
  }

  private static List<Sample> of(List<Sample> samples, String variant) {
    return samples.stream().filter(s -> s.variant().equals(variant)).toList();
  }

  private static List<Double> values(List<Sample> samples, ToDoubleFunction<Sample> f) {
    return samples.stream().map(s -> f.applyAsDouble(s)).toList();
  }

  private static List<Double> paired(List<Sample> a, List<Sample> b, java.util.function.BiFunction<Sample, Sample, Double> f) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      out.add(f.apply(a.get(i), b.get(i)));
    }
    return out;
  }

  private static void row(StringBuilder md, String name, List<Sample> samples, ToDoubleFunction<Sample> f) {
    Stats s = Stats.of(values(samples, f));
    md.append(String.format(Locale.ROOT, "| %s | **%s** | %s | %s | %s |%n",
        name, Stats.ms(s.median()), Stats.ms(s.p90()), Stats.ms(s.min()), Stats.ms(s.max())));
  }

  private static void phases(StringBuilder md, String variant, List<Sample> samples, double total) {
    for (String phase : samples.getFirst().phases().keySet()) {
      Stats s = Stats.of(values(samples, x -> x.phases().get(phase)));
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f %% |%n",
          variant, phase, Stats.ms(s.median()), Stats.ms(s.p90()), s.median() / total * 100));
    }
  }

  private static void compare(StringBuilder md, String name, List<Sample> a, String inRunbook, List<Sample> b, String bare) {
    double x = Stats.median(values(a, s -> s.phases().get(inRunbook)));
    double y = Stats.median(values(b, s -> s.phases().get(bare)));
    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f× |%n", name, Stats.ms(x), Stats.ms(y), x / y));
  }
}
