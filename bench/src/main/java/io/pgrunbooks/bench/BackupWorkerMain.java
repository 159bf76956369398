package io.pgrunbooks.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgrunbooks.activities.backup.BackupActivitiesImpl;
import io.pgrunbooks.activities.backup.BackupMetrics;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.BackupSettings;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetConfig.HostPlacement;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.workflows.backup.BackupActivities;
import io.pgrunbooks.workflows.backup.BackupFormat;
import io.pgrunbooks.workflows.backup.BackupPlan;
import io.pgrunbooks.workflows.backup.BackupRequest;
import io.pgrunbooks.workflows.backup.DatabaseBackup;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Variants 3 and 4, in a JVM of their own (the "worker"): one BackupActivitiesImpl.backupDatabase
 * through Temporal's TestActivityEnvironment, built by hand as BackupActivitiesTest builds it,
 * against the bench cluster and the s3proxy child. Prints one line, {@code RESULT key=value ...}:
 * the activity's wall time, the object, this JVM's peak RSS (VmHWM), what it wrote to storage
 * during the backup and the most its java.io.tmpdir ever held.
 *
 * <p>zstd-jni's native library is loaded before the clock starts: it is extracted to
 * java.io.tmpdir once per JVM, as on a worker that has run one fast backup before.
 */
public final class BackupWorkerMain {
  private static final String TARGET = "bench";

  private BackupWorkerMain() {}

  public static void main(String[] args) throws Exception {
    BackupFormat format = BackupFormat.valueOf(BenchStore.required("bench.format"));
    String database = BenchStore.required("bench.db");
    String label = BenchStore.required("bench.label");
    BenchStore store = new BenchStore();
    TargetConfig target =
        new TargetConfig(
            Hosting.HOST,
            new Endpoint(BenchStore.required("bench.pg.url"), "postgres", BenchStore.required("bench.pg.password-ref")),
            List.of(),
            List.of(database),
            List.of(),
            null,
            new HostPlacement(BenchStore.required("bench.pg.data"), BenchStore.required("bench.pg.bin"), "postgres"),
            null,
            new BackupSettings(BenchStore.NAME, "postgres-backups", BenchStore.required("bench.key-ref"), format,
                1, null, null, null, null, null, null));
    TargetRegistry targets = new TargetRegistry(new TargetsProperties(Map.of(TARGET, target)));

    long preload = ProcSelf.storageWriteBytes();
    com.github.luben.zstd.util.Native.load();
    long preloadBytes = ProcSelf.storageWriteBytes() - preload;

    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(
          new BackupActivitiesImpl(
              targets, store.registry, store.storage, store.secrets, new PostgresConnector(store.secrets),
              new BackupMetrics(new SimpleMeterRegistry())));
      BackupActivities activities =
          env.newActivityStub(
              BackupActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofHours(1))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      BackupPlan plan =
          activities.planBackup(new BackupRequest(TARGET, List.of(database), format, 1, null, "bench"), label);

      TmpWatcher tmp = TmpWatcher.start(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
      long hwmBefore = ProcSelf.peakRssKb();
      long written = ProcSelf.storageWriteBytes();
      long jvmUpMs = ManagementFactory.getRuntimeMXBean().getUptime();
      long t0 = System.nanoTime();
      DatabaseBackup result = activities.backupDatabase(plan, database);
      double backupMs = (System.nanoTime() - t0) / 1e6;
      long writtenBytes = ProcSelf.storageWriteBytes() - written;
      long tmpMax = tmp.stop();
      if (!result.succeeded()) {
        throw new IllegalStateException("backup failed: " + result.errorType() + " " + result.error());
      }
      System.out.printf(java.util.Locale.ROOT,
          "RESULT backupMs=%.1f sizeBytes=%d dumpBytes=%d rows=%d tables=%d objectKey=%s peakRssKb=%d"
              + " peakRssBeforeKb=%d writeBytes=%d tmpMaxBytes=%d preloadWriteBytes=%d jvmUpMs=%d%n",
          backupMs, result.sizeBytes(), result.dumpBytes(), result.rows(), result.tables(), result.objectKey(),
          ProcSelf.peakRssKb(), hwmBefore, writtenBytes, tmpMax, preloadBytes, jvmUpMs);
    } finally {
      env.close();
    }
    System.exit(0);
  }
}
