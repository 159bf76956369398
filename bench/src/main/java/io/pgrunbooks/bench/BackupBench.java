package io.pgrunbooks.bench;

import io.pgrunbooks.bench.BackupVariants.Sample;
import io.pgrunbooks.bench.BackupVariants.Variant;
import io.pgrunbooks.harness.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The backup benchmark: on one machine, in one run, a database of about 1.4 GB (generated once and
 * cached under bench/target/backup-bench/pg) backed up four ways, interleaved round by round (1, 2,
 * 3, 4, 1, 2, 3, 4, ...) so machine noise hits all alike; then the cipher alone against openssl.
 * See {@link BackupVariants} for the variants and {@link CipherBench} for the cipher. Results go to
 * stdout and bench/results/backup-latest.md. Run with {@code bash bench/run-backup.sh}.
 */
public final class BackupBench {
  private BackupBench() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
    int rounds = Integer.getInteger("bench.backup.runs", 3);
    int cipherRounds = Integer.getInteger("bench.cipher.runs", 5);
    long cipherBytes = Long.getLong("bench.cipher.mib", 512) * 1024 * 1024;
    Path work = root.resolve("bench/target/backup-bench");
    Path tmp = freshDirectories(work);
    Path logs = work.resolve("logs");

    Report.Machine machine = Report.Machine.now();
    Instant began = Instant.now();
    String passphrase = "bench-" + UUID.randomUUID();
    Path keyFile = keyFile(tmp, passphrase);
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC).format(began);

    List<Sample> samples = new ArrayList<>();
    BenchData.Description database;
    CipherBench.Result cipher = null;
    double generationSeconds;
    String loadBefore;
    try (BenchCluster cluster = BenchCluster.start(work.resolve("pg"))) {
      long g = System.nanoTime();
      BenchData.ensure(cluster);
      generationSeconds = (System.nanoTime() - g) / 1e9;
      database = BenchData.describe(cluster);
      BenchStack.log(String.format("database %s: %s by pg_database_size", BenchData.DATABASE,
          BackupReport.mib(database.databaseBytes())));
      if (rounds == 0) {
        BenchStack.log("BENCH_BACKUP_RUNS=0: database ready, nothing measured");
        return;
      }
      try (S3Child s3 = S3Child.start(work.resolve("s3"), logs.resolve("s3proxy.log"))) {
        BackupVariants variants = new BackupVariants(cluster, s3, tmp, logs, keyFile, stamp);
        BenchStack.log("warm-up: one bare pg_dump (reads the tables into the page cache), not counted");
        variants.bare(0, "");
        loadBefore = Report.Machine.loadAverage();
        for (int round = 1; round <= rounds; round++) {
          for (Variant v : Variant.values()) {
            Sample s = variants.run(v, round);
            samples.add(s);
            BenchStack.log(String.format(java.util.Locale.ROOT,
                "round %d %-10s %s, peak RSS %s, cpu %.1f s, temp %s, object %s (load %s)",
                round, v.name(), Stats.ms(s.wallMs()), BackupReport.mib(s.peakRssKb() * 1024), s.cpuSeconds(),
                BackupReport.mib(s.tempBytes()), BackupReport.mib(s.objectBytes()), s.loadAverage()));
          }
        }
        Path source = variants.cipherSource();
        if (source != null && cipherRounds > 0) {
          Path input = tmp.resolve("cipher-input.bin");
          CipherBench.fill(source, input, cipherBytes);
          Files.delete(source);
          cipher = CipherBench.run(input, keyFile, passphrase, 100_000, cipherRounds, logs.resolve("openssl.log"));
          Files.delete(input);
        }
      }
    } finally {
      BenchCluster.deleteTree(tmp);
    }

    String markdown =
        BackupReport.markdown(
            new BackupReport.Context(machine, began, Instant.now(), loadBefore, Report.Machine.loadAverage(),
                versions(root), database, generationSeconds, rounds),
            samples, cipher);
    Report.write(root, "backup-latest.md", markdown);
    System.exit(0);
  }

  /** Empties {@code work}/tmp (also removed at exit) and {@code work}/logs; returns tmp. */
  static Path freshDirectories(Path work) throws IOException {
    Path tmp = work.resolve("tmp");
    BenchCluster.deleteTree(tmp);
    BenchCluster.deleteTree(work.resolve("logs"));
    Files.createDirectories(tmp);
    Files.createDirectories(work.resolve("logs"));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> BenchCluster.deleteTree(tmp)));
    return tmp;
  }

  /** The backup passphrase in a file only its owner can read, for key-ref "file:" and openssl's -pass. */
  static Path keyFile(Path tmp, String passphrase) throws IOException {
    Path keyFile = tmp.resolve("passphrase");
    Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(keyFile, passphrase);
    return keyFile;
  }

  private static String versions(Path root) {
    String pgDump = Processes.run(
        List.of(io.pgrunbooks.harness.PostgresCluster.binDirectory().resolve("pg_dump").toString(), "--version"),
        null, Duration.ofSeconds(10)).strip();
    String openssl = Processes.run(List.of("openssl", "version"), null, Duration.ofSeconds(10)).strip();
    String zstd =
        java.util.Arrays.stream(System.getProperty("java.class.path").split(":"))
            .filter(p -> p.contains("zstd-jni"))
            .map(p -> Path.of(p).getFileName().toString().replace(".jar", ""))
            .findFirst().orElse("zstd-jni");
    return pgDump + "; " + openssl + "; " + zstd;
  }
}
