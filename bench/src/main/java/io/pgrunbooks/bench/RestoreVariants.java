package io.pgrunbooks.bench;

import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.restore.RestoreActivitiesImpl;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.BackupSettings;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetConfig.HostPlacement;
import io.pgrunbooks.activities.targets.TargetConfig.RestoreSettings;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.workflows.backup.BackupFormat;
import io.pgrunbooks.workflows.restore.FoundBackup;
import io.pgrunbooks.workflows.restore.RestoreActivities;
import io.pgrunbooks.workflows.restore.RestoreMethod;
import io.pgrunbooks.workflows.restore.RestoreMode;
import io.pgrunbooks.workflows.restore.RestoredDatabase;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The restore benchmark's variants, each into a fresh database that is checked and dropped
 * afterwards (then a checkpoint and a sync, outside the timing, so no variant pays for the last
 * one's dirty pages):
 *
 * <ol>
 *   <li>SEED: the seed's manual sequence: the object downloaded to a file (FileDownloadMain, a JVM
 *       of its own as {@code aws s3 cp} is a process of its own), {@code openssl enc -d
 *       -aes-256-cbc -pbkdf2 -iter 100000} to a second file, {@code pg_restore} (one job) from it;
 *   <li>BARE and BARE_J2: {@code pg_restore} (one job; {@code -j2}) from the already decrypted
 *       file, the references;
 *   <li>STREAMED and STAGED: {@code RestoreActivitiesImpl.restoreInto} through Temporal's
 *       TestActivityEnvironment in this JVM (heartbeats on), streamed (1 job) and staged (2 jobs).
 * </ol>
 *
 * Every wall time includes creating the database ({@code create database ... template template0}),
 * which restoreInto does itself.
 */
final class RestoreVariants implements AutoCloseable {
  enum Variant {
    SEED("a. seed: download to a file, `openssl enc -d` to a file, `pg_restore`"),
    BARE("b. bare `pg_restore` (1 job) from the decrypted file"),
    BARE_J2("c. bare `pg_restore -j2` from the decrypted file"),
    STREAMED("d. restoreInto, streamed (1 job)"),
    STAGED("e. restoreInto, staged (`-j2`)");

    final String title;

    Variant(String title) {
      this.title = title;
    }
  }

  /** One sample: wall time, temporary disk at its largest, details keyed with their unit. */
  record Sample(Variant variant, int round, double wallMs, long tempBytes, Map<String, Double> steps, String loadAverage) {}

  static final String TARGET = "bench";
  private static final int ITERATIONS = 100_000;

  private final BenchCluster cluster;
  private final S3Child s3;
  private final Path tmp;
  private final Path logs;
  private final Path keyFile;
  private final Path staging;
  private final String objectKey;
  private final TestActivityEnvironment env;
  private final RestoreActivities activities;
  private final FoundBackup backup;
  private final long sourceOrders;
  private final long sourceIndexes;
  private Path plainDump;
  private int serial;

  RestoreVariants(BenchCluster cluster, S3Child s3, Path tmp, Path logs, Path keyFile, String objectKey)
      throws IOException, SQLException {
    this.cluster = cluster;
    this.s3 = s3;
    this.tmp = tmp;
    this.logs = logs;
    this.keyFile = keyFile;
    this.objectKey = objectKey;
    this.staging = Files.createDirectories(tmp.resolve("staging"));
    BenchStore.options(s3).forEach(o -> {
      int eq = o.indexOf('=');
      System.setProperty(o.substring(2, eq), o.substring(eq + 1));
    });
    BenchStore store = new BenchStore();
    TargetConfig target =
        new TargetConfig(
            Hosting.HOST,
            new Endpoint(cluster.jdbcUrl("postgres"), "postgres", cluster.passwordRef()),
            List.of(), List.of(BenchData.DATABASE), List.of(), null,
            new HostPlacement(cluster.dataDirectory().toString(), cluster.binDirectory().toString(), "postgres"),
            null,
            new BackupSettings(BenchStore.NAME, "postgres-backups", "file:" + keyFile, BackupFormat.COMPATIBLE,
                1, ITERATIONS, null, null, null, null, null),
            new RestoreSettings(List.of(), null, staging.toString(), null, 2, null),
            null,
            null);
    TargetRegistry targets = new TargetRegistry(new TargetsProperties(Map.of(TARGET, target)));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new RestoreActivitiesImpl(targets, store.storage, store.secrets, new PostgresConnector(store.secrets)));
    activities =
        env.newActivityStub(
            RestoreActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofHours(1))
                .setHeartbeatTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    backup = activities.findBackup(TARGET, BenchData.DATABASE, objectKey, null);
    try (Connection c = cluster.connect(BenchData.DATABASE)) {
      sourceOrders = single(c, "select count(*) from orders");
      sourceIndexes = single(c, "select count(*) from pg_indexes where schemaname = 'public'");
    }
  }

  FoundBackup backup() {
    return backup;
  }

  /** The reference plaintext for BARE and BARE_J2: downloaded and decrypted once, kept. */
  void preparePlainDump() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("reference"));
    Path encrypted = dir.resolve("backup.dump.enc");
    plainDump = dir.resolve("backup.dump");
    download(encrypted);
    decrypt(encrypted, plainDump);
    Files.delete(encrypted);
  }

  Sample run(Variant v, int round) throws Exception {
    String load = Report.Machine.loadAverage();
    String database = String.format("%s_restore_20260101_%06d", BenchData.DATABASE, ++serial);
    try {
      Sample sample =
          switch (v) {
            case SEED -> seed(round, database, load);
            case BARE -> bare(v, round, database, 1, load);
            case BARE_J2 -> bare(v, round, database, 2, load);
            case STREAMED -> activity(v, round, database, new RestoreMethod(RestoreMode.STREAMED, 1, "bench"), load);
            case STAGED -> activity(v, round, database, new RestoreMethod(RestoreMode.STAGED, 2, "bench"), load);
          };
      check(database);
      return sample;
    } finally {
      cluster.execute("postgres", "drop database if exists " + database + " with (force)", "checkpoint");
      Processes.run(List.of("sync"), null, Duration.ofMinutes(2));
    }
  }

  private Sample seed(int round, String database, String load) throws IOException {
    Path dir = BackupVariants.fresh(tmp.resolve("seed"));
    Path encrypted = dir.resolve("backup.dump.enc");
    Path plain = dir.resolve("backup.dump");
    try {
      long t0 = System.nanoTime();
      double create = createDatabase(database);
      Download get = download(encrypted);
      TimedCommand.Usage dec = decrypt(encrypted, plain);
      long temp = Files.size(encrypted) + Files.size(plain);
      TimedCommand.Usage restore = pgRestore(database, 1, plain);
      double wall = (System.nanoTime() - t0) / 1e6;
      Map<String, Double> steps = new LinkedHashMap<>();
      steps.put("create database [ms]", create);
      steps.put("download to a file, wall of its process (JVM start included) [ms]", get.process().wallMs());
      steps.put("of which the GET to the file, within its JVM [ms]", get.getMs());
      steps.put("openssl enc -d to a second file [ms]", dec.wallMs());
      steps.put("pg_restore (1 job) from the file [ms]", restore.wallMs());
      steps.put("pg_restore CPU user+sys [s]", restore.cpuSeconds());
      steps.put("encrypted file [bytes]", (double) Files.size(encrypted));
      steps.put("decrypted file [bytes]", (double) Files.size(plain));
      return new Sample(Variant.SEED, round, wall, temp, steps, load);
    } finally {
      BenchCluster.deleteTree(dir);
    }
  }

  private Sample bare(Variant v, int round, String database, int jobs, String load) {
    long t0 = System.nanoTime();
    double create = createDatabase(database);
    TimedCommand.Usage restore = pgRestore(database, jobs, plainDump);
    double wall = (System.nanoTime() - t0) / 1e6;
    Map<String, Double> steps = new LinkedHashMap<>();
    steps.put("create database [ms]", create);
    steps.put("pg_restore [ms]", restore.wallMs());
    steps.put("pg_restore CPU user+sys [s]", restore.cpuSeconds());
    return new Sample(v, round, wall, 0, steps, load);
  }

  private Sample activity(Variant v, int round, String database, RestoreMethod method, String load) throws Exception {
    TmpWatcher watcher = TmpWatcher.start(staging);
    long written = ProcSelf.storageWriteBytes();
    long cpu = jvmCpuNanos();
    long t0 = System.nanoTime();
    RestoredDatabase restored = activities.restoreInto(TARGET, backup, method, database);
    long t1 = System.nanoTime();
    double wall = (t1 - t0) / 1e6;
    long temp = watcher.stop();
    Map<String, Double> steps = new LinkedHashMap<>();
    steps.put("restoreInto's own duration [ms]", (double) restored.millis());
    if (method.mode() == RestoreMode.STAGED) {
      steps.put("to the end of the staged file's growth (create, download, decrypt; ±0.1 s) [ms]",
          (watcher.grewAtNanos() - t0) / 1e6);
      steps.put("after it: pg_restore -j2 [ms]", (t1 - watcher.grewAtNanos()) / 1e6);
    }
    steps.put("worker JVM CPU user+sys (download, SHA-256, decryption, feeding) [s]", (jvmCpuNanos() - cpu) / 1e9);
    steps.put("written to storage by the worker JVM (/proc/self/io) [bytes]", (double) (ProcSelf.storageWriteBytes() - written));
    steps.put("bytes fed to pg_restore, as restoreInto reports them [bytes]", (double) restored.bytesRead());
    return new Sample(v, round, wall, temp, steps, load);
  }

  /** A quick check that the copy is whole: the orders' row count and the number of indexes. */
  private void check(String database) throws SQLException {
    try (Connection c = cluster.connect(database)) {
      long orders = single(c, "select count(*) from orders");
      long indexes = single(c, "select count(*) from pg_indexes where schemaname = 'public'");
      if (orders != sourceOrders || indexes != sourceIndexes) {
        throw new IllegalStateException(database + ": " + orders + " orders and " + indexes + " indexes, expected "
            + sourceOrders + " and " + sourceIndexes);
      }
    }
  }

  private double createDatabase(String database) {
    long t0 = System.nanoTime();
    cluster.execute("postgres", "create database " + database + " template template0");
    return (System.nanoTime() - t0) / 1e6;
  }

  /** Downloads the object to {@code file} in a JVM of its own; the process's usage and the GET's time within it. */
  private Download download(Path file) throws IOException {
    Path out = tmp.resolve("download.out");
    List<String> command = new ArrayList<>(List.of(ChildJvm.java(), BackupVariants.WORKER_HEAP, "-XX:-UsePerfData"));
    command.addAll(BenchStore.options(s3));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), FileDownloadMain.class.getName(),
        objectKey, file.toString()));
    try {
      TimedCommand.Usage u = TimedCommand.run(command, Map.of(), out, logs.resolve("download.log"));
      Map<String, String> result = BackupVariants.result(out);
      long size = Long.parseLong(result.get("sizeBytes"));
      if (size != backup.sizeBytes()) {
        throw new IllegalStateException("downloaded " + size + " bytes of " + backup.sizeBytes());
      }
      return new Download(u, Double.parseDouble(result.get("downloadMs")));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private record Download(TimedCommand.Usage process, double getMs) {}

  private TimedCommand.Usage decrypt(Path encrypted, Path plain) {
    return TimedCommand.run(
        List.of("openssl", "enc", "-d", "-aes-256-cbc", "-pbkdf2", "-iter", Integer.toString(ITERATIONS),
            "-in", encrypted.toString(), "-out", plain.toString(), "-pass", "file:" + keyFile),
        Map.of(), null, logs.resolve("openssl.log"));
  }

  private TimedCommand.Usage pgRestore(String database, int jobs, Path file) {
    List<String> command = new ArrayList<>(List.of(
        cluster.binDirectory().resolve("pg_restore").toString(), "--host=127.0.0.1", "--port=" + cluster.port(),
        "--username=postgres", "--dbname=" + database, "--no-password", "--exit-on-error"));
    if (jobs > 1) {
      command.add("--jobs=" + jobs);
    }
    command.add(file.toString());
    return TimedCommand.run(command, Map.of("PGPASSWORD", cluster.password()), null, logs.resolve("pg_restore.log"));
  }

  private static long jvmCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private static long single(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() {
    env.close();
  }
}
