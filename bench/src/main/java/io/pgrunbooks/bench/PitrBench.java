package io.pgrunbooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.PgBackRestRepo;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.Processes;
import io.temporal.api.history.v1.HistoryEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * RecoverToPointInTime against the same recovery done by hand, on one PostgreSQL cluster archiving
 * into a pgBackRest stanza (the harness's), interleaved round by round:
 *
 * <ol>
 *   <li>by hand: pg_ctl stop -m fast, mv the data directory aside, pgbackrest restore --type=time
 *       --target=T --target-action=promote, pg_ctl start, poll pg_is_in_recovery() every 100 ms
 *       until it is false;
 *   <li>the workflow over the REST API with the real dev server and worker jar, timed from the
 *       approval (POST /api/approvals) to FollowRecovery completed (the server promoted, and proven
 *       from its log to have stopped at T), and to the run completed (check query, assessment).
 * </ol>
 *
 * Rounds alternate which goes first; before each recovery (untimed) a commit after T is archived
 * and dirty pages are synced. Every recovery goes to the same T (between rows 2 and 3 of {@code events}) from the same backup
 * and is checked to keep exactly rows 1 and 2. Results go to bench/results/pitr-latest.md. Run
 * with {@code bash bench/run-pitr.sh}.
 */
public final class PitrBench {
  static final String TARGET = "pitr";
  static final String ROWS = "select string_agg(id::text, ',' order by id) from events";
  static final List<String> STEPS = List.of("StopDatabase", "MoveDataDirectoryAside", "RestoreBackup", "StartDatabase", "FollowRecovery");

  /** One recovery by hand, each step's milliseconds. */
  record HandSample(double stopMs, double moveMs, double restoreMs, double startMs, double promoteMs) {
    double totalMs() {
      return stopMs + moveMs + restoreMs + startMs + promoteMs;
    }
  }

  /**
   * One run of the workflow. Times from the approval POST (wall clock; the server's event times are
   * on the same machine's clock): to the signal in the history, to FollowRecovery completed, to the
   * run completed; each step's activity from scheduled to completed; and from POST /api/runs to
   * the gate being open.
   */
  record FlowSample(double toGateMs, double signalMs, double promotedMs, double completedMs, Map<String, Double> steps) {
    double stepsMs() {
      return steps.values().stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  private final BenchStack stack;
  private final PostgresCluster cluster;
  private final PgBackRestRepo repo;
  private final String backupSet;
  private final Instant target;
  private int marker = 100;

  private PitrBench(BenchStack stack, PostgresCluster cluster, PgBackRestRepo repo, String backupSet, Instant target) {
    this.stack = stack;
    this.cluster = cluster;
    this.repo = repo;
    this.backupSet = backupSet;
    this.target = target;
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
    int warmups = Integer.getInteger("bench.pitr.warmups", 1);
    int runs = Integer.getInteger("bench.pitr.runs", 6);
    int mib = Integer.getInteger("bench.pitr.mib", 1024);
    Report.Machine machine = Report.Machine.now();
    Instant began = Instant.now();

    PgBackRestRepo repo = PgBackRestRepo.create(TARGET);
    PostgresCluster cluster = null;
    BenchStack stack = null;
    List<HandSample> hand = new ArrayList<>();
    List<FlowSample> flow = new ArrayList<>();
    String sizes;
    try {
      cluster = PostgresCluster.start("bench-pitr", repo.serverSettings());
      repo.attach(cluster);
      BenchStack.log("generating about " + mib + " MiB and taking the full backup");
      long t = System.nanoTime();
      cluster.execute("postgres",
          "create table filler (id bigint primary key, payload text not null)",
          "insert into filler select g, md5(g::text) || repeat(md5((g::bigint * 7919)::text), 7)"
              + " from generate_series(1, " + (long) mib * 3300 + ") g",
          "create table events (id int primary key, at timestamptz not null)");
      String database = value(cluster, "select pg_size_pretty(pg_database_size('postgres'))");
      String backupSet = repo.fullBackup();
      List<Instant> rows = new ArrayList<>();
      for (int id = 1; id <= 3; id++) {
        rows.add(Instant.parse(value(cluster,
            "with i as (insert into events values (" + id + ", clock_timestamp()) returning at)"
                + " select to_char(at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') from i")));
        Processes.sleep(1_000);
      }
      sizes = "database " + database + ", backup " + backupSet + " (" + repoSize(repo) + " in the repository)";
      BenchStack.log(String.format("%s; prepared in %.0f s", sizes, (System.nanoTime() - t) / 1e9));
      Instant target = rows.get(1).plusMillis(500);

      Map<String, String> worker = new LinkedHashMap<>(HostTargets.asProperties(TARGET, cluster));
      worker.put("pgrunbooks.targets." + TARGET + ".pitr.stanza", repo.stanza());
      worker.put("pgrunbooks.targets." + TARGET + ".pitr.config-file", repo.config().toString());
      stack = BenchStack.start(root, List.of(TARGET), worker);
      PitrBench bench = new PitrBench(stack, cluster, repo, backupSet, target);
      for (int i = 0; i < warmups + runs; i++) {
        boolean warm = i >= warmups;
        // ABBA: by hand first in even rounds, the workflow first in odd ones, so neither always
        // follows the other's deletions and write-back.
        HandSample h;
        FlowSample f;
        if (i % 2 == 0) {
          h = bench.byHand();
          f = bench.workflow();
        } else {
          f = bench.workflow();
          h = bench.byHand();
        }
        BenchStack.log(String.format("%s %d: by hand %s (restore %s), workflow approval -> promoted %s (restore %s), -> completed %s",
            warm ? "round " : "warmup", warm ? i - warmups + 1 : i + 1, Stats.ms(h.totalMs()), Stats.ms(h.restoreMs()),
            Stats.ms(f.promotedMs()), Stats.ms(f.steps().get("RestoreBackup")), Stats.ms(f.completedMs())));
        if (warm) {
          hand.add(h);
          flow.add(f);
        }
      }
    } finally {
      BenchStack.log("stopping the stack and removing the cluster and the repository");
      if (stack != null) {
        stack.close();
      }
      if (cluster != null) {
        cluster.close();
      }
      repo.close();
    }
    String markdown = PitrReport.markdown(machine, began, Instant.now(), Report.Machine.loadAverage(), warmups, mib, sizes, hand, flow);
    Report.write(root, "pitr-latest.md", markdown);
    System.exit(0);
  }

  // ---- by hand -------------------------------------------------------------------------------

  HandSample byHand() {
    prepare();
    Path data = cluster.dataDirectory();
    long t0 = System.nanoTime();
    cluster.stop(); // pg_ctl stop -w -m fast
    long t1 = System.nanoTime();
    move(data, data.resolveSibling(data.getFileName() + ".hand_" + marker));
    Processes.run(Processes.as("postgres", List.of("mkdir", "-m", "0700", data.toString())), null, Duration.ofSeconds(10));
    long t2 = System.nanoTime();
    Processes.run(
        Processes.as("postgres", List.of("pgbackrest", "--config=" + repo.config(), "--stanza=" + repo.stanza(),
            "--set=" + backupSet, "--type=time", "--target=" + pgTime(target), "--target-action=promote", "restore")),
        null, Duration.ofHours(1));
    long t3 = System.nanoTime();
    cluster.restart(repo.serverSettings()); // pg_ctl start -w: returns once it accepts connections (in recovery)
    long t4 = System.nanoTime();
    while (inRecovery()) {
      Processes.sleep(100);
    }
    long t5 = System.nanoTime();
    check("by hand", value(cluster, ROWS));
    cleanUp();
    return new HandSample(ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t5 - t4));
  }

  private boolean inRecovery() {
    try (Connection c = cluster.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1);
    } catch (SQLException notYet) {
      return true; // starting up, or not consistent yet
    }
  }

  // ---- the workflow --------------------------------------------------------------------------

  FlowSample workflow() {
    prepare();
    Http http = stack.http();
    long t = System.nanoTime();
    Http.Response started = http.post("/api/runs", stack.operatorToken,
        "{\"runbook\":\"recover-to-point-in-time\",\"target\":\"" + TARGET + "\",\"targetTime\":\"" + target
            + "\",\"checkDatabase\":\"postgres\",\"checkSql\":\"" + ROWS + "\"}");
    if (started.status() != 202) {
      throw new IllegalStateException("POST /api/runs: " + started.status() + " " + started.raw());
    }
    String id = started.body().get("workflowId").asText();
    String runId = started.body().get("runId").asText();
    String statusUrl = started.body().get("statusUrl").asText();
    String digest = awaitGate(http, statusUrl);
    double toGate = ms(System.nanoTime() - t);

    long approvedAt = System.currentTimeMillis();
    Http.Response sent = http.post("/api/approvals/" + id, stack.approverToken,
        "{\"gateId\":\"stop-and-restore\",\"decision\":\"approve\",\"digest\":\"" + digest + "\",\"comment\":\"bench\"}");
    if (sent.status() != 202) {
      throw new IllegalStateException("POST /api/approvals: " + sent.status() + " " + sent.raw());
    }
    JsonNode run = http.get(statusUrl + "?wait=60", stack.operatorToken).body();
    for (int i = 0; i < 30 && "RUNNING".equals(run.path("status").asText()); i++) {
      run = http.get(statusUrl + "?wait=60", stack.operatorToken).body();
    }
    if (!"COMPLETED".equals(run.path("status").asText()) || !"RECOVERED".equals(run.at("/result/outcome").asText())) {
      throw new IllegalStateException("the run did not recover: " + run);
    }
    check("the workflow", run.at("/result/checkValue").asText());

    List<HistoryEvent> events = stack.client().fetchHistory(id, runId).getEvents();
    Map<Long, String> types = new LinkedHashMap<>();
    Map<String, Double> scheduled = new LinkedHashMap<>();
    Map<String, Double> steps = new LinkedHashMap<>();
    double signal = Double.NaN;
    double completed = Double.NaN;
    for (HistoryEvent e : events) {
      double at = RunTimeline.millis(e.getEventTime());
      if (e.hasActivityTaskScheduledEventAttributes()) {
        String type = e.getActivityTaskScheduledEventAttributes().getActivityType().getName();
        types.put(e.getEventId(), type);
        scheduled.put(type, at);
      } else if (e.hasActivityTaskCompletedEventAttributes()) {
        String type = types.get(e.getActivityTaskCompletedEventAttributes().getScheduledEventId());
        if (STEPS.contains(type)) {
          steps.put(type, at - scheduled.get(type));
        }
        if (type.equals("FollowRecovery")) {
          steps.put("promotedAt", at); // taken out below
        }
      } else if (e.hasWorkflowExecutionSignaledEventAttributes() && Double.isNaN(signal)) {
        signal = at;
      } else if (e.hasWorkflowExecutionCompletedEventAttributes()) {
        completed = at;
      }
    }
    double promoted = steps.remove("promotedAt");
    cleanUp();
    return new FlowSample(toGate, signal - approvedAt, promoted - approvedAt, completed - approvedAt, steps);
  }

  private String awaitGate(Http http, String statusUrl) {
    for (int i = 0; i < 6000; i++) {
      JsonNode status = http.get(statusUrl, stack.operatorToken).body();
      for (JsonNode gate : status.path("awaitingApproval")) {
        if (gate.path("gateId").asText().equals("stop-and-restore")) {
          return gate.path("digest").asText();
        }
      }
      if (!"RUNNING".equals(status.path("status").asText())) {
        throw new IllegalStateException("the run ended before its gate: " + status);
      }
      Processes.sleep(20);
    }
    throw new IllegalStateException("the gate never opened");
  }

  // ---- shared --------------------------------------------------------------------------------

  /**
   * Outside the timing: a commit after the target on the current timeline, archived, so that
   * recovery has a commit to stop before (the workflow's plan seals the archive too; by hand it
   * must be there already), then {@code sync}, so that the previous recovery's write-back does not
   * land in this one's time.
   */
  private void prepare() {
    cluster.execute("postgres", "insert into events values (" + (++marker) + ", clock_timestamp())");
    PgBackRestRepo.switchWalAndWait(cluster);
    Processes.run(List.of("sync"), null, Duration.ofMinutes(5)); // the previous restore's dirty pages written out
  }

  private static void check(String who, String rows) {
    if (!"1,2".equals(rows)) {
      throw new IllegalStateException(who + " recovered rows " + rows + ", not 1,2");
    }
  }

  /** Removes the directories set aside by the recoveries (outside the timing). */
  private void cleanUp() {
    Path data = cluster.dataDirectory();
    try (Stream<Path> siblings = Files.list(data.getParent())) {
      for (Path p : siblings.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(data.getFileName() + ".")) {
          BenchCluster.deleteTree(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The target as pgBackRest's --target takes it: {@code 2026-11-22 12:00:00.123456+00}. */
  static String pgTime(Instant t) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC).format(t.truncatedTo(ChronoUnit.MICROS)) + "+00";
  }

  private static String value(PostgresCluster cluster, String sql) {
    try (Connection c = cluster.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static String repoSize(PgBackRestRepo repo) {
    return Processes.run(List.of("du", "-sh", repo.config().getParent().resolve("repo/backup").toString()), null, Duration.ofSeconds(30))
        .split("\\s")[0];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
