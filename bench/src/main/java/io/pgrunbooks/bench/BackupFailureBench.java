package io.pgrunbooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.PrometheusServer;
import io.pgrunbooks.workflows.backup.BackupDatabasesWorkflow;
import io.pgrunbooks.workflows.backup.VerifyBackupWorkflow;
import io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The backup-failure runbook (RespondToBackupFailure) against the bare work it ends with, on one
 * local stack ({@link BenchStack}: dev server, worker jar, API jar) with s3proxy ({@link S3Child})
 * and the real Prometheus scraping the worker, both targets on the same cluster and database:
 *
 * <ol>
 *   <li><b>runbook</b>: target {@value #MISSING}, whose bucket is deleted before each run and a
 *       nightly backup then fails for real (StorageNotFound, untimed); {@code POST /api/runs}
 *       respond-to-backup-failure, its create-bucket gate approved over the API by another user as
 *       soon as it opens (the status polled every 50 ms until then, then one long poll, as (b) waits),
 *       to VERIFIED. Its own time is POST → completed minus the time at the gate
 *       ({@link RunAnatomy}), split at the history's marks into the checks before the gate, the steps
 *       after the approval up to the backup child, the backup child, the verify child and the report.
 *   <li><b>bare</b>: target {@value #HEALTHY} (its bucket exists, emptied before each run):
 *       {@code POST} backup-databases, its result, then {@code POST} verify-backup of its metadata
 *       key, to that run completed.
 * </ol>
 *
 * Rounds alternate which goes first (ABBA), after warm-up rounds. Results go to
 * bench/results/backup-failure-latest.md. Run with {@code bash bench/run-backup-failure.sh}.
 */
public final class BackupFailureBench {
  static final String MISSING = "bf-missing";
  static final String HEALTHY = "bf-healthy";
  static final String MISSING_BUCKET = "pg-backups-missing";
  static final String DATABASE = "bench_bf";

  /**
   * One run of either variant: its wall time, the time at gates, its phases (summing to wall − gates),
   * activities (scheduled → closed, summed per type) and, for the runbook, its own steps with times
   * from the run's start; whether it ran first in its round.
   */
  record Sample(String variant, boolean first, double wallMs, double gateWaitMs, Map<String, Double> phases, Map<String, Double> activities,
      List<RunAnatomy.Span> timeline, String outcome) {
    double ownMs() {
      return wallMs - gateWaitMs;
    }
  }

  // Phases of the runbook, in order; they add up to its own time.
  static final String POST_TO_START = "POST → run started";
  static final String CHECKS = "checks before the gate (alert, job status, health, classify, connectivity, role, key, store probe)";
  static final String AFTER_APPROVAL = "approval → backup child started (decision check, create bucket, probe again, replication, storage)";
  static final String BACKUP_CHILD = "backup child (BackupDatabases)";
  static final String BETWEEN_CHILDREN = "backup child closed → verify child started";
  static final String VERIFY_CHILD = "verify child (VerifyBackup)";
  static final String REPORT = "report (StoreIncidentReport) → completed";
  // Phases of the bare work.
  static final String BARE_POST_BACKUP = "POST backup-databases → run started";
  static final String BARE_BACKUP = "backup run (BackupDatabases)";
  static final String BARE_BETWEEN = "backup completed → result read, POST verify-backup → run started";
  static final String BARE_VERIFY = "verify run (VerifyBackup)";

  private final BenchStack stack;
  private final S3Child s3;

  private BackupFailureBench(BenchStack stack, S3Child s3) {
    this.stack = stack;
    this.s3 = s3;
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
    int warmups = Integer.getInteger("bench.bf.warmups", 1);
    int runs = Integer.getInteger("bench.bf.runs", 5);
    int mib = Integer.getInteger("bench.bf.mib", 256);
    Path work = root.resolve("bench/target/backup-failure-bench");
    Path tmp = BackupBench.freshDirectories(work);
    Path keyFile = BackupBench.keyFile(tmp, "bench-" + UUID.randomUUID());
    Report.Machine machine = Report.Machine.now();
    Instant began = Instant.now();

    List<Sample> samples = new ArrayList<>();
    List<String> loads = new ArrayList<>();
    String[] database = new String[1];
    BenchStack stack = null;
    PrometheusServer prometheus = null;
    try (S3Child s3 = S3Child.start(work.resolve("s3"), work.resolve("logs/s3proxy.log"))) {
      int metricsPort = Processes.freePort();
      if (PrometheusServer.installed()) {
        prometheus = PrometheusServer.start(metricsPort, "/actuator/prometheus");
      } else {
        BenchStack.log("no prometheus installed: step 1 of the runbook will say so (scripts/lib.sh installs it)");
      }
      String prometheusUrl = prometheus == null ? null : prometheus.url();
      stack = BenchStack.start(root, List.of(MISSING, HEALTHY), Map.of(), Map.of(), demo -> {
        database[0] = generate(demo, mib);
        return workerProperties(demo, s3, keyFile, prometheusUrl, metricsPort);
      });
      BackupFailureBench bench = new BackupFailureBench(stack, s3);
      for (int i = 0; i < warmups + runs; i++) {
        boolean warm = i >= warmups;
        String load = Report.Machine.loadAverage();
        // ABBA: neither variant always runs after the other's backup and restore.
        Sample a;
        Sample b;
        if (i % 2 == 0) {
          a = bench.runbook(true);
          b = bench.bare(false);
        } else {
          b = bench.bare(true);
          a = bench.runbook(false);
        }
        loads.add(load + " → " + Report.Machine.loadAverage());
        BenchStack.log(String.format("%s %d: runbook %s (gate %s, own %s: checks %s, backup %s, verify %s); bare %s (backup %s,"
                + " verify %s); own / bare %.2f (load %s)",
            warm ? "round " : "warmup", warm ? i - warmups + 1 : i + 1, Stats.ms(a.wallMs()), Stats.ms(a.gateWaitMs()),
            Stats.ms(a.ownMs()), Stats.ms(a.phases().get(CHECKS)), Stats.ms(a.phases().get(BACKUP_CHILD)),
            Stats.ms(a.phases().get(VERIFY_CHILD)), Stats.ms(b.wallMs()), Stats.ms(b.phases().get(BARE_BACKUP)),
            Stats.ms(b.phases().get(BARE_VERIFY)), a.ownMs() / b.wallMs(), loads.getLast()));
        if (warm) {
          samples.add(a);
          samples.add(b);
        }
      }
    } finally {
      BenchStack.log("stopping the stack, Prometheus and s3proxy");
      if (stack != null) {
        stack.close();
      }
      if (prometheus != null) {
        prometheus.close();
      }
    }
    String markdown = BackupFailureReport.markdown(machine, began, Instant.now(), Report.Machine.loadAverage(), warmups, runs,
        database[0], prometheus != null, samples, loads);
    Report.write(root, "backup-failure-latest.md", markdown);
    System.exit(0);
  }

  /**
   * Database {@value #DATABASE}: about {@code mib} MiB of messages (text that compresses about 2:1)
   * with their primary key and an index, frozen; returns its size as the report says it.
   */
  private static String generate(PostgresCluster demo, int mib) {
    long t = System.nanoTime();
    BenchStack.log("generating database " + DATABASE + " (about " + mib + " MiB)");
    demo.execute("postgres", "create database " + DATABASE);
    demo.execute(DATABASE,
        "create table messages (id bigint primary key, user_id bigint not null, sent_at timestamptz not null, body text not null)",
        "insert into messages select g, 1 + abs(hashint8(g)) % 100000, timestamptz '2024-01-01 00:00+00' + g * interval '7 seconds',"
            + " md5(g::text) || ' ' || repeat(md5((g::bigint * 7919)::text), 6) from generate_series(1, " + (long) mib * 3300 + ") g",
        "create index messages_user on messages (user_id, sent_at)",
        "vacuum (freeze, analyze)",
        "checkpoint");
    try (Connection c = demo.connect(DATABASE);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_size_pretty(pg_database_size(current_database())), count(*) from messages")) {
      rs.next();
      String size = rs.getString(1) + " by pg_database_size (" + String.format(java.util.Locale.ROOT, "%,d", rs.getLong(2))
          + " rows of about 250 bytes of hex text, a primary key and one index)";
      BenchStack.log(String.format("database %s: %s, generated in %.0f s", DATABASE, size, (System.nanoTime() - t) / 1e9));
      return size;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Both targets on the demo cluster and its database {@value #DATABASE}, each backing up to its own
   * store on the same s3proxy with the same key; incident reports to the healthy store; Prometheus,
   * when there is one, scraping the worker's actuator on {@code metricsPort}.
   */
  private static Map<String, String> workerProperties(
      PostgresCluster demo, S3Child s3, Path keyFile, String prometheusUrl, int metricsPort) {
    Map<String, String> p = new LinkedHashMap<>();
    Map<String, String> buckets = Map.of(MISSING, MISSING_BUCKET, HEALTHY, S3Child.BUCKET);
    for (String target : List.of(MISSING, HEALTHY)) {
      String t = "pgrunbooks.targets." + target + ".";
      String s = "pgrunbooks.stores." + target + ".";
      p.putAll(HostTargets.asProperties(target, demo));
      p.put(t + "databases[0]", DATABASE);
      p.put(t + "backup.store", target);
      p.put(t + "backup.key-ref", "file:" + keyFile);
      p.put(s + "endpoint", s3.endpoint().toString());
      p.put(s + "bucket", buckets.get(target));
      p.put(s + "access-key-ref", s3.accessKeyRef());
      p.put(s + "secret-key-ref", s3.secretKeyRef());
    }
    p.put("pgrunbooks.artifacts.store", HEALTHY);
    if (prometheusUrl != null) {
      p.put("pgrunbooks.prometheus.url", prometheusUrl);
    }
    p.put("server.port", Integer.toString(metricsPort));
    return p;
  }

  /** (a) The bucket deleted and a nightly backup failed (untimed), then the runbook to VERIFIED. */
  private Sample runbook(boolean first) {
    Http http = stack.http();
    s3.deleteBucket(MISSING_BUCKET);
    JsonNode failed = stack.awaitFinished(http, stack.startRun(http, "failing backup",
        "{\"runbook\":\"backup-databases\",\"target\":\"" + MISSING + "\"}").body().get("statusUrl").asText());
    String errorType = failed.at("/result/databases/0/errorType").asText();
    if (!"FAILED".equals(failed.at("/result/databases/0/status").asText()) || !"StorageNotFound".equals(errorType)) {
      throw new IllegalStateException("the nightly backup to the deleted bucket did not fail with StorageNotFound: " + failed);
    }

    long t0 = System.currentTimeMillis();
    Http.Response started = stack.startRun(http, "respond-to-backup-failure",
        "{\"runbook\":\"respond-to-backup-failure\",\"target\":\"" + MISSING + "\"}");
    JsonNode run = stack.approveOneGateThenAwait(http, started.body().get("statusUrl").asText());
    JsonNode result = run.path("result");
    if (!"COMPLETED".equals(run.path("status").asText()) || !"VERIFIED".equals(result.path("status").asText())) {
      throw new IllegalStateException("respond-to-backup-failure did not end VERIFIED: " + run);
    }
    String gate = result.at("/decisions/0/gateId").asText();
    if (!RespondToBackupFailureWorkflow.BUCKET_GATE.equals(gate) || result.path("decisions").size() != 1) {
      throw new IllegalStateException("expected exactly the create-bucket gate, got " + result.path("decisions"));
    }
    RunAnatomy anatomy = RunAnatomy.of(stack.client(), started.body().get("workflowId").asText(), started.body().get("runId").asText());
    if (anatomy.gates() != 1) {
      throw new IllegalStateException("expected one gate in the history, found " + anatomy.gates());
    }
    String backup = BackupDatabasesWorkflow.TYPE;
    String verify = VerifyBackupWorkflow.TYPE;
    Map<String, Double> phases = new LinkedHashMap<>();
    phases.put(POST_TO_START, anatomy.mark(RunAnatomy.STARTED) - t0);
    phases.put(CHECKS, anatomy.mark(RunAnatomy.GATE_OPENED) - anatomy.mark(RunAnatomy.STARTED));
    phases.put(AFTER_APPROVAL, anatomy.mark(RunAnatomy.childInitiatedMark(backup)) - anatomy.mark(RunAnatomy.APPROVED));
    phases.put(BACKUP_CHILD, anatomy.mark(RunAnatomy.childClosedMark(backup)) - anatomy.mark(RunAnatomy.childInitiatedMark(backup)));
    phases.put(BETWEEN_CHILDREN, anatomy.mark(RunAnatomy.childInitiatedMark(verify)) - anatomy.mark(RunAnatomy.childClosedMark(backup)));
    phases.put(VERIFY_CHILD, anatomy.mark(RunAnatomy.childClosedMark(verify)) - anatomy.mark(RunAnatomy.childInitiatedMark(verify)));
    phases.put(REPORT, anatomy.mark(RunAnatomy.COMPLETED) - anatomy.mark(RunAnatomy.childClosedMark(verify)));
    String outcome = result.path("status").asText() + ", classes " + result.path("classes");
    double at = anatomy.mark(RunAnatomy.STARTED);
    List<RunAnatomy.Span> timeline = anatomy.spans().stream()
        .map(s -> new RunAnatomy.Span(s.what(), s.fromMs() - at, s.toMs() - at))
        .sorted(java.util.Comparator.comparingDouble(RunAnatomy.Span::fromMs))
        .toList();
    return new Sample("runbook", first, anatomy.completedAtMs() - t0, anatomy.gateWaitMs(), phases, anatomy.stages(), timeline, outcome);
  }

  /** (b) The healthy store's bucket emptied (untimed), then backup-databases and verify-backup of its metadata key. */
  private Sample bare(boolean first) {
    Http http = stack.http();
    s3.emptyBucket();
    long t0 = System.currentTimeMillis();
    Http.Response backupStarted = stack.startRun(http, "backup-databases",
        "{\"runbook\":\"backup-databases\",\"target\":\"" + HEALTHY + "\"}");
    JsonNode backup = stack.awaitFinished(http, backupStarted.body().get("statusUrl").asText());
    String metadataKey = backup.at("/result/metadataKey").asText(null);
    if (!"COMPLETED".equals(backup.path("status").asText()) || metadataKey == null || backup.at("/result/failed").asInt() != 0) {
      throw new IllegalStateException("the bare backup failed: " + backup);
    }
    Http.Response verifyStarted = stack.startRun(http, "verify-backup",
        "{\"runbook\":\"verify-backup\",\"target\":\"" + HEALTHY + "\",\"metadataKey\":\"" + metadataKey + "\"}");
    JsonNode verification = stack.awaitFinished(http, verifyStarted.body().get("statusUrl").asText());
    if (!"COMPLETED".equals(verification.path("status").asText()) || !verification.at("/result/passed").asBoolean()) {
      throw new IllegalStateException("the bare verification failed: " + verification);
    }
    RunAnatomy b = RunAnatomy.of(stack.client(), backupStarted.body().get("workflowId").asText(),
        backupStarted.body().get("runId").asText());
    RunAnatomy v = RunAnatomy.of(stack.client(), verifyStarted.body().get("workflowId").asText(),
        verifyStarted.body().get("runId").asText());
    Map<String, Double> phases = new LinkedHashMap<>();
    phases.put(BARE_POST_BACKUP, b.mark(RunAnatomy.STARTED) - t0);
    phases.put(BARE_BACKUP, b.mark(RunAnatomy.COMPLETED) - b.mark(RunAnatomy.STARTED));
    phases.put(BARE_BETWEEN, v.mark(RunAnatomy.STARTED) - b.mark(RunAnatomy.COMPLETED));
    phases.put(BARE_VERIFY, v.mark(RunAnatomy.COMPLETED) - v.mark(RunAnatomy.STARTED));
    Map<String, Double> activities = new LinkedHashMap<>(b.stages());
    v.stages().forEach((stage, ms) -> activities.merge(stage, ms, Double::sum));
    return new Sample("bare", first, v.mark(RunAnatomy.COMPLETED) - t0, 0, phases, activities, List.of(), "backed up and verified");
  }
}
