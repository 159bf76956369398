package io.pgrunbooks.bench;

import io.pgrunbooks.bench.RestoreVariants.Sample;
import io.pgrunbooks.bench.RestoreVariants.Variant;
import io.pgrunbooks.workflows.restore.FoundBackup;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The restore benchmark's results as markdown (printed, and written to bench/results/restore-latest.md). */
final class RestoreReport {
  private RestoreReport() {}

  record Context(
      Report.Machine machine,
      Instant began,
      Instant ended,
      String loadBefore,
      String loadAfter,
      String versions,
      BenchData.Description database,
      double generationSeconds,
      int rounds,
      FoundBackup backup) {}

  static String markdown(Context c, List<Sample> samples) {
    StringBuilder md = new StringBuilder();
    Report.Machine m = c.machine();
    md.append("# Restore benchmark\n\n");
    md.append("- Run: ").append(c.began().truncatedTo(ChronoUnit.SECONDS)).append(" to ")
        .append(c.ended().truncatedTo(ChronoUnit.SECONDS)).append(" (UTC)\n");
    md.append("- Machine: ").append(m.cores()).append(" cores (").append(m.cpu()).append("), shared; load average ")
        .append(c.loadBefore()).append(" after the warm-up, ").append(c.loadAfter()).append(" at the end\n");
    md.append("- ").append(m.os()).append("; ").append(m.java()).append("; ").append(c.versions()).append('\n');
    md.append("- Database `").append(BenchData.DATABASE).append("`: **").append(BackupReport.mib(c.database().databaseBytes()))
        .append("** by pg_database_size; ").append(String.join(", ", c.database().tables()))
        .append(c.generationSeconds() > 30
            ? String.format(Locale.ROOT, "; generated in this run (%.0f s)", c.generationSeconds())
            : "; cached from an earlier run")
        .append('\n');
    md.append("- Backup: one object made by the BackupDatabase activity, ").append(c.backup().kind()).append(", ")
        .append(BackupReport.mib(c.backup().sizeBytes())).append(" (pg_dump -Fc -Z6, PBKDF2 100,000 iterations), in the "
            + "harness's S3ProxyServer (filesystem store) in its own JVM on loopback.\n");
    md.append(String.format(Locale.ROOT, "- Rounds: %d, interleaved (a, b, c, d, e, a, ...), after an uncounted "
        + "warm-up (one b, one d); each into a fresh database, checked (orders' row count, index count), dropped, "
        + "then `checkpoint` and `sync` outside the timing; medians.%n%n", c.rounds()));

    double seed = median(samples, Variant.SEED);
    double bare = median(samples, Variant.BARE);
    double bareJ2 = median(samples, Variant.BARE_J2);
    double streamed = median(samples, Variant.STREAMED);
    double staged = median(samples, Variant.STAGED);
    md.append("## Results\n\n| variant | wall (median) | × a (seed) | × b (bare, 1 job) | all rounds | temp disk (largest) |\n"
        + "|---|---:|---:|---:|---|---:|\n");
    List<Variant> measured = java.util.Arrays.stream(Variant.values()).filter(v -> !of(samples, v).isEmpty()).toList();
    for (Variant v : measured) {
      List<Sample> of = of(samples, v);
      double wall = median(samples, v);
      md.append(String.format(Locale.ROOT, "| %s | **%s** | %.2f× | %.2f× | %s | %s |%n", v.title, Stats.ms(wall),
          wall / seed, wall / bare, String.join(", ", of.stream().map(s -> Stats.ms(s.wallMs())).toList()),
          BackupReport.mib(of.stream().mapToLong(Sample::tempBytes).max().orElse(0))));
    }
    md.append("\nWall: from `create database` to the restored database (every variant creates its database inside "
        + "its time, as restoreInto does). a: its three processes one after another (the download a JVM of its own, "
        + "its start included, as `aws s3 cp` includes its own). d, e: the restoreInto call in a running JVM through "
        + "TestActivityEnvironment (heartbeat timeout 30 s). Temp disk: a, both files (they coexist until the end); "
        + "e, the staging directory at its fullest (sampled every 100 ms); d and the references, none.\n\n");

    md.append("Targets:\n\n");
    target(md, String.format(Locale.ROOT, "e (staged) at most 0.75× of a (seed's sequence): **%.2f×**", staged / seed),
        staged / seed <= 0.75);
    target(md, String.format(Locale.ROOT, "d (streamed) at most 1.05× of b (bare single-job pg_restore): **%.2f×**",
        streamed / bare), streamed / bare <= 1.05);
    md.append(String.format(Locale.ROOT, "%nPaired within each round (the same round's machine noise on both sides), "
        + "median of the per-round ratios: e / a **%.2f×** (%s), d / b **%.2f×** (%s).%n",
        pairedMedian(samples, Variant.STAGED, Variant.SEED), paired(samples, Variant.STAGED, Variant.SEED),
        pairedMedian(samples, Variant.STREAMED, Variant.BARE), paired(samples, Variant.STREAMED, Variant.BARE)));
    md.append(String.format(Locale.ROOT, "%nAlso: c / b (what -j2 buys) %.2f×; e / c (staging's cost over a bare -j2) "
        + "%.2f×; d / a %.2f×.%n", bareJ2 / bare, staged / bareJ2, streamed / seed));

    md.append("\n## Steps (medians)\n\n");
    for (Variant v : measured) {
      md.append("**").append(v.title).append("**\n\n| step | median |\n|---|---:|\n");
      Set<String> keys = new LinkedHashSet<>(of(samples, v).get(0).steps().keySet());
      for (String key : keys) {
        double value = Stats.median(of(samples, v).stream().map(s -> s.steps().get(key)).toList());
        md.append("| ").append(key, 0, key.lastIndexOf(" [")).append(" | ").append(unit(key, value)).append(" |\n");
      }
      md.append('\n');
    }

    md.append("## Every sample\n\n| round | variant | wall | temp disk | load average at start |\n|---:|---|---:|---:|---|\n");
    for (Sample s : samples) {
      md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s |%n", s.round(), s.variant().name(),
          Stats.ms(s.wallMs()), BackupReport.mib(s.tempBytes()), s.loadAverage()));
    }
    return md.toString();
  }

  /** Per round, {@code top}'s wall over {@code bottom}'s. */
  private static List<Double> ratios(List<Sample> samples, Variant top, Variant bottom) {
    return of(samples, top).stream()
        .flatMap(t -> of(samples, bottom).stream().filter(b -> b.round() == t.round()).map(b -> t.wallMs() / b.wallMs()))
        .toList();
  }

  private static double pairedMedian(List<Sample> samples, Variant top, Variant bottom) {
    return Stats.median(ratios(samples, top, bottom));
  }

  private static String paired(List<Sample> samples, Variant top, Variant bottom) {
    return String.join(", ", ratios(samples, top, bottom).stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList());
  }

  private static String unit(String key, double value) {
    if (key.endsWith("[ms]")) {
      return Stats.ms(value);
    }
    if (key.endsWith("[s]")) {
      return String.format(Locale.ROOT, "%.2f s", value);
    }
    return BackupReport.mib((long) value);
  }

  private static void target(StringBuilder md, String what, boolean met) {
    md.append("- ").append(what).append(": ").append(met ? "**met**" : "**missed**").append('\n');
  }

  private static List<Sample> of(List<Sample> samples, Variant v) {
    return samples.stream().filter(s -> s.variant() == v).toList();
  }

  private static double median(List<Sample> samples, Variant v) {
    return Stats.median(of(samples, v).stream().map(Sample::wallMs).toList());
  }
}
