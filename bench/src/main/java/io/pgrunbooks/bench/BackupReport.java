package io.pgrunbooks.bench;

import io.pgrunbooks.bench.BackupVariants.Sample;
import io.pgrunbooks.bench.BackupVariants.Variant;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The backup benchmark's results as markdown (printed, and written to bench/results/backup-latest.md). */
final class BackupReport {
  private BackupReport() {}

  record Context(
      Report.Machine machine,
      Instant began,
      Instant ended,
      String loadBefore,
      String loadAfter,
      String versions,
      BenchData.Description database,
      double generationSeconds,
      int rounds) {}

  static String markdown(Context c, List<Sample> samples, CipherBench.Result cipher) {
    StringBuilder md = new StringBuilder();
    Report.Machine m = c.machine();
    md.append("# Backup benchmark\n\n");
    md.append("- Run: ").append(c.began().truncatedTo(ChronoUnit.SECONDS)).append(" to ")
        .append(c.ended().truncatedTo(ChronoUnit.SECONDS)).append(" (UTC)\n");
    md.append("- Machine: ").append(m.cores()).append(" cores (").append(m.cpu()).append("), shared; load average ")
        .append(c.loadBefore()).append(" after the warm-up dump, ").append(c.loadAfter()).append(" at the end\n");
    md.append("- ").append(m.os()).append("; ").append(m.java()).append("; ").append(c.versions()).append('\n');
    md.append("- Database `").append(BenchData.DATABASE).append("`: **").append(mib(c.database().databaseBytes()))
        .append("** by pg_database_size; ").append(String.join(", ", c.database().tables()))
        .append(c.generationSeconds() > 30
            ? String.format(Locale.ROOT, "; generated in this run (%.0f s)", c.generationSeconds())
            : "; cached from an earlier run")
        .append('\n');
    md.append("- Store: the harness's S3ProxyServer (s3proxy, filesystem store) in its own JVM on loopback, same "
        + "for every variant; uploads through the project's ObjectStorage (8 MB parts). Worker JVM `"
        + BackupVariants.WORKER_HEAP + "`, G1, activity run through TestActivityEnvironment.\n");
    md.append(String.format(Locale.ROOT,
        "- Rounds: %d, interleaved (1, 2, 3, 4, 1, 2, ...), after one uncounted warm-up dump; medians.%n%n", c.rounds()));

    double bare = median(samples, Variant.BARE, Sample::wallMs);
    md.append("## Results\n\n");
    md.append("| variant | wall (median) | × bare pg_dump | all rounds | peak RSS (median / max) | CPU user+sys "
        + "| temp disk (largest) | written to disk by its processes | object |\n");
    md.append("|---|---:|---:|---|---:|---:|---:|---:|---:|\n");
    for (Variant v : Variant.values()) {
      List<Sample> of = of(samples, v);
      double wall = median(samples, v, Sample::wallMs);
      md.append(String.format(Locale.ROOT, "| %s | **%s** | %.2f× | %s | %s / %s | %.1f s | %s | %s | %s |%n",
          v.title, Stats.ms(wall), wall / bare,
          String.join(", ", of.stream().map(s -> Stats.ms(s.wallMs())).toList()),
          mib(1024 * (long) median(samples, v, s -> s.peakRssKb())),
          mib(1024 * (long) of.stream().mapToDouble(Sample::peakRssKb).max().orElse(0)),
          median(samples, v, Sample::cpuSeconds),
          mib((long) of.stream().mapToDouble(Sample::tempBytes).max().orElse(0)),
          mib((long) of.stream().mapToDouble(Sample::fsWriteBytes).max().orElse(0)),
          v == Variant.BARE ? "–" : mib((long) median(samples, v, s -> s.objectBytes()))));
    }
    md.append("\nWall: for 1 and 2 the processes' wall time (2: the sum of its three steps, the upload including its "
        + "JVM's start as `aws s3 cp` would include its own); for 3 and 4 the backupDatabase call in a running worker "
        + "(JVM start not counted). Peak RSS: 1 and 2 from `/usr/bin/time -v` (2: its largest step); 3 and 4 the worker "
        + "JVM's VmHWM (pg_dump is a separate process of a few MiB). CPU: the measured processes and their children "
        + "(pg_dump under the worker), not the PostgreSQL backend nor s3proxy. Written to disk: `/usr/bin/time`'s file "
        + "system outputs of the whole process tree (JVM start included; for 3 and 4 that is zstd-jni's native library, "
        + "about 1 MiB, extracted to java.io.tmpdir when the JVM starts and deleted, see below).\n\n");

    double compatible = median(samples, Variant.COMPATIBLE, Sample::wallMs);
    double fast = median(samples, Variant.FAST, Sample::wallMs);
    double compatibleObject = median(samples, Variant.COMPATIBLE, s -> s.objectBytes());
    double fastObject = median(samples, Variant.FAST, s -> s.objectBytes());
    double workerRss = samples.stream().filter(s -> s.variant() == Variant.COMPATIBLE || s.variant() == Variant.FAST)
        .mapToDouble(Sample::peakRssKb).max().orElse(Double.NaN) * 1024;
    double workerTemp = samples.stream().filter(s -> s.variant() == Variant.COMPATIBLE || s.variant() == Variant.FAST)
        .mapToDouble(s -> s.tempBytes() + s.steps().get(BackupVariants.JVM_WRITES)).max().orElse(Double.NaN);
    md.append("Targets:\n\n");
    target(md, String.format(Locale.ROOT, "3 within 1.10× of 1: **%.2f×**", compatible / bare), compatible / bare <= 1.10);
    target(md, String.format(Locale.ROOT, "4 at most 0.5× of 1: **%.2f×**", fast / bare), fast / bare <= 0.5);
    target(md, String.format(Locale.ROOT, "4's object no larger than 3's: %s vs %s (%.2f×)",
        mib((long) fastObject), mib((long) compatibleObject), fastObject / compatibleObject), fastObject <= compatibleObject);
    target(md, "worker RSS under 512 MB: largest " + mib((long) workerRss) + String.format(Locale.ROOT, " (%.0f MB)", workerRss / 1e6),
        workerRss < 512e6);
    target(md, "zero temp disk for 3 and 4: largest java.io.tmpdir content + the JVM's own storage writes during "
        + "the backup = " + mib((long) workerTemp), workerTemp == 0);
    md.append('\n');

    md.append("### Variant 2, step by step (medians)\n\n| step | median |\n|---|---:|\n");
    stepTable(md, of(samples, Variant.SEED));
    md.append(String.format(Locale.ROOT, "| dump file (-Z6) | %s |%n| encrypted file | %s |%n",
        mib((long) median(samples, Variant.SEED, s -> s.dumpBytes())),
        mib((long) median(samples, Variant.SEED, s -> s.objectBytes()))));
    md.append("\n### Variants 3 and 4, the worker (medians)\n\n| | 3. compatible | 4. fast |\n|---|---:|---:|\n");
    for (String key : of(samples, Variant.COMPATIBLE).get(0).steps().keySet()) {
      md.append("| ").append(label(key)).append(" | ").append(step(key, median(samples, Variant.COMPATIBLE, s -> s.steps().get(key))))
          .append(" | ").append(step(key, median(samples, Variant.FAST, s -> s.steps().get(key)))).append(" |\n");
    }
    md.append(String.format(Locale.ROOT, "| dump bytes through the pipeline (pg_dump's output) | %s | %s |%n",
        mib((long) median(samples, Variant.COMPATIBLE, s -> s.dumpBytes())),
        mib((long) median(samples, Variant.FAST, s -> s.dumpBytes()))));

    if (cipher != null) {
      md.append(String.format(Locale.ROOT, "%n## The cipher alone%n%n%s of dump bytes (the compatible -Z6 dump of "
              + "round 1, repeated to fill) in one file in the page cache, encrypted to nothing; each with its PBKDF2 "
              + "(100,000 iterations); %d rounds after a first round, interleaved, in the benchmark's JVM.%n%n",
          mib(cipher.inputBytes()), cipher.seconds().get(CipherBench.JDK).size()));
      md.append("| cipher | MB/s (median) | seconds per round | ÷ openssl | first round (cold JIT) |\n"
          + "|---|---:|---|---:|---:|\n");
      double openssl = cipher.mbPerSecond(CipherBench.OPENSSL);
      for (Map.Entry<String, List<Double>> e : cipher.seconds().entrySet()) {
        md.append(String.format(Locale.ROOT, "| %s | **%.0f** | %s | %.2f | %.0f MB/s |%n", e.getKey(),
            cipher.mbPerSecond(e.getKey()),
            String.join(", ", e.getValue().stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList()),
            cipher.mbPerSecond(e.getKey()) / openssl, cipher.firstRoundMbPerSecond(e.getKey())));
      }
      double ratio = cipher.mbPerSecond(CipherBench.JDK) / openssl;
      md.append('\n');
      target(md, String.format(Locale.ROOT, "ours / openssl at least 0.9×: **%.2f×** (first round: %.2f×)", ratio,
          cipher.firstRoundMbPerSecond(CipherBench.JDK) / cipher.firstRoundMbPerSecond(CipherBench.OPENSSL)),
          ratio >= 0.9);
    }

    md.append("\n## Every sample\n\n| round | variant | wall | peak RSS | CPU | load average at start |\n|---:|---|---:|---:|---:|---|\n");
    for (Sample s : samples) {
      md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %.1f s | %s |%n", s.round(), s.variant().name(),
          Stats.ms(s.wallMs()), mib(s.peakRssKb() * 1024), s.cpuSeconds(), s.loadAverage()));
    }
    return md.toString();
  }

  private static void stepTable(StringBuilder md, List<Sample> seed) {
    for (String key : seed.get(0).steps().keySet()) {
      md.append("| ").append(label(key)).append(" | ")
          .append(step(key, Stats.median(seed.stream().map(s -> s.steps().get(key)).toList()))).append(" |\n");
    }
  }

  /** A step's value by the unit at the end of its key: [ms], [KiB], [bytes] or [count]. */
  private static String step(String key, double value) {
    if (key.endsWith("[ms]")) {
      return Stats.ms(value);
    }
    if (key.endsWith("[KiB]")) {
      return mib((long) value * 1024);
    }
    if (key.endsWith("[count]")) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return mib((long) value);
  }

  private static String label(String key) {
    return key.substring(0, key.lastIndexOf(" ["));
  }

  private static void target(StringBuilder md, String what, boolean met) {
    md.append("- ").append(what).append(": ").append(met ? "**met**" : "**missed**").append('\n');
  }

  private static List<Sample> of(List<Sample> samples, Variant v) {
    return samples.stream().filter(s -> s.variant() == v).toList();
  }

  private static double median(List<Sample> samples, Variant v, ToDoubleFunction<Sample> f) {
    return Stats.median(of(samples, v).stream().map(s -> f.applyAsDouble(s)).toList());
  }

  /** Bytes as "0 B", "12 KiB", "345.6 MiB" or "1.23 GiB". */
  static String mib(long bytes) {
    if (bytes == 0) {
      return "0 B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / 1073741824.0);
  }
}
