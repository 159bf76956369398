package io.pgrunbooks.bench;

import io.pgrunbooks.bench.RestoreVariants.Sample;
import io.pgrunbooks.bench.RestoreVariants.Variant;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The restore benchmark: the backup benchmark's cached database (about 1.3 GB, under
 * bench/target/backup-bench/pg) backed up once by the BackupDatabase activity in the compatible
 * format (pg_dump -Fc -Z6, openssl AES-256-CBC, PBKDF2 100,000) into an s3proxy store, then restored
 * five ways ({@link RestoreVariants}), interleaved round by round after an uncounted warm-up.
 * Results go to stdout and bench/results/restore-latest.md. Run with {@code bash bench/run-restore.sh}.
 */
public final class RestoreBench {
  private RestoreBench() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
    int rounds = Integer.getInteger("bench.restore.runs", 3);
    List<Variant> chosen = java.util.Arrays.stream(System.getProperty("bench.restore.variants", "SEED,BARE,BARE_J2,STREAMED,STAGED")
        .split(",")).map(String::strip).map(Variant::valueOf).toList();
    Path work = root.resolve("bench/target/restore-bench");
    Path tmp = BackupBench.freshDirectories(work);
    Path logs = work.resolve("logs");

    Report.Machine machine = Report.Machine.now();
    Instant began = Instant.now();
    Path keyFile = BackupBench.keyFile(tmp, "bench-" + UUID.randomUUID());

    List<Sample> samples = new ArrayList<>();
    RestoreReport.Context context;
    try (BenchCluster cluster = BenchCluster.start(root.resolve("bench/target/backup-bench/pg"))) {
      long g = System.nanoTime();
      BenchData.ensure(cluster);
      double generationSeconds = (System.nanoTime() - g) / 1e9;
      BenchData.Description database = BenchData.describe(cluster);
      BenchStack.log(String.format("database %s: %s by pg_database_size", BenchData.DATABASE,
          BackupReport.mib(database.databaseBytes())));
      try (S3Child s3 = S3Child.start(work.resolve("s3"), logs.resolve("s3proxy.log"))) {
        BenchStack.log("backing the database up once (BackupDatabase activity, compatible format), not timed");
        BackupVariants backups = new BackupVariants(cluster, s3, tmp, logs, keyFile, "restore");
        Path workerTmp = BackupVariants.fresh(tmp.resolve("worker-tmp"));
        Path out = tmp.resolve("worker.out");
        TimedCommand.run(backups.workerCommand(BackupVariants.Variant.COMPATIBLE, "restore_bench", workerTmp),
            Map.of(), out, logs.resolve("worker.log"));
        Map<String, String> backup = BackupVariants.result(out);
        BenchStack.log("object " + backup.get("objectKey") + ": " + BackupReport.mib(Long.parseLong(backup.get("sizeBytes")))
            + " (dump " + BackupReport.mib(Long.parseLong(backup.get("dumpBytes"))) + ")");

        try (RestoreVariants variants = new RestoreVariants(cluster, s3, tmp, logs, keyFile, backup.get("objectKey"))) {
          BenchStack.log("found: " + variants.backup().kind() + ", " + variants.backup().sizeBytes() + " bytes");
          variants.preparePlainDump();
          BenchStack.log("warm-up, not counted: one bare pg_restore, one streamed restoreInto");
          variants.run(Variant.BARE, 0);
          variants.run(Variant.STREAMED, 0);
          String loadBefore = Report.Machine.loadAverage();
          for (int round = 1; round <= rounds; round++) {
            for (Variant v : chosen) {
              Sample s = variants.run(v, round);
              samples.add(s);
              BenchStack.log(String.format(Locale.ROOT, "round %d %-8s %s, temp %s (load %s)", round, v.name(),
                  Stats.ms(s.wallMs()), BackupReport.mib(s.tempBytes()), s.loadAverage()));
            }
          }
          context = new RestoreReport.Context(machine, began, Instant.now(), loadBefore, Report.Machine.loadAverage(),
              versions(), database, generationSeconds, rounds, variants.backup());
        }
      }
    } finally {
      BenchCluster.deleteTree(tmp);
    }

    String markdown = RestoreReport.markdown(context, samples);
    System.out.println();
    System.out.println(markdown);
    Path result = root.resolve("bench/results/restore-latest.md");
    Files.createDirectories(result.getParent());
    Files.writeString(result, markdown);
    BenchStack.log("written to " + root.relativize(result));
    System.exit(0);
  }

  private static String versions() {
    String pgRestore = Processes.run(
        List.of(PostgresCluster.binDirectory().resolve("pg_restore").toString(), "--version"), null,
        Duration.ofSeconds(10)).strip();
    String openssl = Processes.run(List.of("openssl", "version"), null, Duration.ofSeconds(10)).strip();
    return pgRestore + "; " + openssl;
  }
}
