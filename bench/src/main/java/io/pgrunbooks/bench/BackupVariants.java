package io.pgrunbooks.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one sample of each variant, every one a process (or processes) of its own, measured by
 * /usr/bin/time -v:
 *
 * <ol>
 *   <li>BARE: {@code pg_dump --format=custom --compress=6 > /dev/null};
 *   <li>SEED: the seed's pipeline: pg_dump -Fc -Z6 to a file, {@code openssl enc -aes-256-cbc -salt
 *       -pbkdf2 -iter 100000} to a second file, the second file uploaded (FileUploadMain);
 *   <li>COMPATIBLE and 4. FAST: BackupActivitiesImpl.backupDatabase in a worker JVM (-Xmx512m)
 *       through TestActivityEnvironment (BackupWorkerMain).
 * </ol>
 */
final class BackupVariants {
  enum Variant {
    BARE("1. bare `pg_dump -Fc -Z6 > /dev/null`"),
    SEED("2. seed: pg_dump to file, `openssl enc` to file, upload"),
    COMPATIBLE("3. BackupDatabase activity, compatible"),
    FAST("4. BackupDatabase activity, fast (zstd)");

    final String title;

    Variant(String title) {
      this.title = title;
    }
  }

  /**
   * One sample. wallMs: the work (for 3 and 4 the activity call, without the JVM's start);
   * peakRssKb: the largest process's peak; tempBytes: temporary files at their largest (2: both
   * files; 3, 4: the worker's java.io.tmpdir at its fullest); fsWriteBytes: what the process tree
   * wrote to file systems (/usr/bin/time's "File system outputs"); steps: variant 2's parts, or
   * details of the worker.
   */
  record Sample(
      Variant variant,
      int round,
      double wallMs,
      long peakRssKb,
      double cpuSeconds,
      long tempBytes,
      long fsWriteBytes,
      long objectBytes,
      long dumpBytes,
      Map<String, Double> steps,
      String loadAverage) {}

  static final String WORKER_HEAP = "-Xmx512m";

  /** Step key: bytes the worker JVM itself sent to storage during backupDatabase (/proc/self/io). */
  static final String JVM_WRITES = "written to storage by the worker JVM during the backup (/proc/self/io) [bytes]";

  private final BenchCluster cluster;
  private final S3Child s3;
  private final Path tmp;
  private final Path logs;
  private final Path keyFile;
  private final String stamp;
  private Path cipherSource;

  BackupVariants(BenchCluster cluster, S3Child s3, Path tmp, Path logs, Path keyFile, String stamp) {
    this.cluster = cluster;
    this.s3 = s3;
    this.tmp = tmp;
    this.logs = logs;
    this.keyFile = keyFile;
    this.stamp = stamp;
  }

  Sample run(Variant v, int round) throws IOException {
    String load = Report.Machine.loadAverage();
    Sample sample =
        switch (v) {
          case BARE -> bare(round, load);
          case SEED -> seed(round, load);
          case COMPATIBLE, FAST -> activity(v, round, load);
        };
    s3.emptyBucket();
    return sample;
  }

  private List<String> pgDump(String compress) {
    return List.of(
        cluster.binDirectory().resolve("pg_dump").toString(), "--host=127.0.0.1", "--port=" + cluster.port(),
        "--username=postgres", "--dbname=" + BenchData.DATABASE, "--no-password", "--format=custom",
        "--compress=" + compress);
  }

  private Map<String, String> pgEnv() {
    return Map.of("PGPASSWORD", cluster.password());
  }

  Sample bare(int round, String load) {
    TimedCommand.Usage u = TimedCommand.run(pgDump("6"), pgEnv(), null, logs.resolve("pg_dump.log"));
    return new Sample(Variant.BARE, round, u.wallMs(), u.maxRssKb(), u.cpuSeconds(), 0, u.fsOutputBytes(), 0, 0,
        Map.of(), load);
  }

  private Sample seed(int round, String load) throws IOException {
    Path dir = fresh(tmp.resolve("seed"));
    Path dump = dir.resolve("backup.dump");
    Path encrypted = dir.resolve("backup.dump.enc");
    Path out = dir.resolve("upload.out");
    try {
      TimedCommand.Usage d = TimedCommand.run(pgDump("6"), pgEnv(), dump, logs.resolve("pg_dump.log"));
      TimedCommand.Usage e =
          TimedCommand.run(
              List.of("openssl", "enc", "-aes-256-cbc", "-salt", "-pbkdf2", "-iter", "100000",
                  "-in", dump.toString(), "-out", encrypted.toString(), "-pass", "file:" + keyFile),
              Map.of(), null, logs.resolve("openssl.log"));
      long dumpBytes = Files.size(dump);
      long encryptedBytes = Files.size(encrypted);
      List<String> upload = new ArrayList<>(List.of(ChildJvm.java(), WORKER_HEAP, "-XX:-UsePerfData"));
      upload.addAll(BenchStore.options(s3));
      upload.addAll(List.of("-cp", System.getProperty("java.class.path"), FileUploadMain.class.getName(),
          encrypted.toString(), "postgres-backups/manual/seed-" + stamp + "-r" + round + ".sql.enc"));
      TimedCommand.Usage up = TimedCommand.run(upload, Map.of(), out, logs.resolve("upload.log"));
      Map<String, String> result = result(out);
      if (Long.parseLong(result.get("sizeBytes")) != encryptedBytes) {
        throw new IllegalStateException("uploaded " + result.get("sizeBytes") + " bytes of " + encryptedBytes);
      }
      if (cipherSource == null) {
        cipherSource = tmp.resolve("cipher-source.dump");
        Files.move(dump, cipherSource);
      }
      Map<String, Double> steps = new java.util.LinkedHashMap<>();
      steps.put("pg_dump -Fc -Z6 to a file, wall [ms]", d.wallMs());
      steps.put("openssl enc to a second file, wall [ms]", e.wallMs());
      steps.put("upload, wall of its process [ms]", up.wallMs());
      steps.put("upload, within its JVM [ms]", Double.parseDouble(result.get("uploadMs")));
      steps.put("pg_dump peak RSS [KiB]", (double) d.maxRssKb());
      steps.put("openssl peak RSS [KiB]", (double) e.maxRssKb());
      steps.put("upload JVM peak RSS [KiB]", (double) up.maxRssKb());
      return new Sample(Variant.SEED, round, d.wallMs() + e.wallMs() + up.wallMs(),
          Math.max(d.maxRssKb(), Math.max(e.maxRssKb(), up.maxRssKb())),
          d.cpuSeconds() + e.cpuSeconds() + up.cpuSeconds(), dumpBytes + encryptedBytes,
          d.fsOutputBytes() + e.fsOutputBytes() + up.fsOutputBytes(), encryptedBytes, dumpBytes, steps, load);
    } finally {
      BenchCluster.deleteTree(dir);
    }
  }

  private Sample activity(Variant v, int round, String load) throws IOException {
    Path workerTmp = fresh(tmp.resolve("worker-tmp"));
    Path out = tmp.resolve("worker.out");
    List<String> command = workerCommand(v, stamp + "_r" + round + "_" + v.name().toLowerCase(), workerTmp);
    try {
      TimedCommand.Usage u = TimedCommand.run(command, Map.of(), out, logs.resolve("worker.log"));
      Map<String, String> r = result(out);
      long left = TmpWatcher.bytes(workerTmp);
      Map<String, Double> steps = new java.util.LinkedHashMap<>();
      steps.put("worker peak RSS, by /usr/bin/time (JVM and pg_dump tree) [KiB]", (double) u.maxRssKb());
      steps.put("worker peak RSS before the backup (started, activity registered) [KiB]", Double.parseDouble(r.get("peakRssBeforeKb")));
      steps.put(JVM_WRITES, Double.parseDouble(r.get("writeBytes")));
      steps.put("java.io.tmpdir: largest content during the backup [bytes]", Double.parseDouble(r.get("tmpMaxBytes")));
      steps.put("java.io.tmpdir: left after the JVM exited [bytes]", (double) left);
      steps.put("written at JVM start: zstd-jni's native library, extracted to java.io.tmpdir and deleted [bytes]", Double.parseDouble(r.get("preloadWriteBytes")));
      steps.put("worker process wall, JVM start and exit included [ms]", u.wallMs());
      steps.put("rows counted in the dump's snapshot [count]", Double.parseDouble(r.get("rows")));
      return new Sample(v, round, Double.parseDouble(r.get("backupMs")), Long.parseLong(r.get("peakRssKb")),
          u.cpuSeconds(), Math.max(Long.parseLong(r.get("tmpMaxBytes")), left), u.fsOutputBytes(),
          Long.parseLong(r.get("sizeBytes")), Long.parseLong(r.get("dumpBytes")), steps, load);
    } finally {
      BenchCluster.deleteTree(workerTmp);
      Files.deleteIfExists(out);
    }
  }

  /** The command of a worker JVM (BackupWorkerMain) that backs the database up once, as 3 or 4. */
  List<String> workerCommand(Variant v, String label, Path workerTmp) {
    List<String> command = new ArrayList<>(List.of(ChildJvm.java(), WORKER_HEAP, "-XX:-UsePerfData",
        "-Djava.io.tmpdir=" + workerTmp));
    command.addAll(BenchStore.options(s3));
    command.addAll(List.of(
        "-Dbench.format=" + (v == Variant.FAST ? "FAST" : "COMPATIBLE"),
        "-Dbench.db=" + BenchData.DATABASE,
        "-Dbench.label=" + label,
        "-Dbench.pg.url=" + cluster.jdbcUrl("postgres"),
        "-Dbench.pg.password-ref=" + cluster.passwordRef(),
        "-Dbench.pg.data=" + cluster.dataDirectory(),
        "-Dbench.pg.bin=" + cluster.binDirectory(),
        "-Dbench.key-ref=file:" + keyFile,
        "-cp", System.getProperty("java.class.path"), BackupWorkerMain.class.getName()));
    return command;
  }

  /** The compatible dump of the first seed sample, kept for the cipher benchmark (or null). */
  Path cipherSource() {
    return cipherSource;
  }

  static Map<String, String> result(Path out) throws IOException {
    String line =
        Files.readAllLines(out).stream().filter(l -> l.startsWith("RESULT ")).findFirst()
            .orElseThrow(() -> new IllegalStateException("no RESULT line in " + out));
    Map<String, String> values = new HashMap<>();
    for (String kv : line.substring("RESULT ".length()).split(" ")) {
      int eq = kv.indexOf('=');
      values.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return values;
  }

  static Path fresh(Path dir) {
    BenchCluster.deleteTree(dir);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
