package io.pgrunbooks.activities.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.host.LocalClusterHosting;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.serverfiles.HostShell;
import io.pgrunbooks.activities.serverfiles.ServerShells;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.GatedRuns;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.SmallDisk;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.ApprovalVerifier;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.disk.DiskRequest;
import io.pgrunbooks.workflows.disk.ReclaimDiskSpaceWorkflow;
import io.pgrunbooks.workflows.disk.ReclaimDiskSpaceWorkflowImpl;
import io.pgrunbooks.workflows.disk.ReclaimResult;
import io.pgrunbooks.workflows.disk.ReclaimStatus;
import io.pgrunbooks.workflows.targets.AssessmentThresholds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runbook end to end (the real workflow and the real activities in temporal-testing's
 * environment) against a real PostgreSQL 15 whose data directory lies on a small file system of its
 * own: a 160 MiB tmpfs, filled for real to over the 85 % threshold with old server logs. Where the
 * machine does not allow mounting ({@link SmallDisk#mount} returns null) the cluster lies in the
 * temp directory and the target's disk-warn-percent is set just under the use measured after the
 * filling, so the diagnosis still finds the disk over its threshold; only the "back under the
 * threshold" assertion then needs the small disk.
 */
class ReclaimDiskSpaceAgainstRealPostgresTest {
  private static final String TASK_QUEUE = "disk";
  private static final String OLD_LOG_PREFIX = "postgresql-2026-10-0";

  private SmallDisk disk;
  private PostgresCluster cluster;
  private TestWorkflowEnvironment env;

  private void start(String name, Map<String, String> settings, boolean smallDisk, Double thresholdPercent) {
    disk = smallDisk ? SmallDisk.mount(name, 160) : null;
    cluster = PostgresCluster.start(name, settings, disk == null ? null : disk.path());
    startWorkflows(thresholdPercent);
  }

  private void startWorkflows(Double thresholdPercent) {
    TargetConfig plain = HostTargets.of(cluster, List.of("postgres"));
    AssessmentThresholds d = AssessmentThresholds.defaults();
    AssessmentThresholds thresholds = thresholdPercent == null ? d : new AssessmentThresholds(
        d.connectionsWarnPercent(), d.connectionsCriticalPercent(), thresholdPercent, d.diskCriticalPercent(),
        d.replicationLagSeconds(), d.slowQuerySeconds());
    TargetConfig target = new TargetConfig(plain.hosting(), plain.primary(), plain.replicas(), plain.databases(),
        plain.applicationDeployments(), plain.kubernetes(), plain.host(), thresholds, plain.backup());
    Supplier<KubernetesClient> noKubernetes = () -> {
      throw new IllegalStateException("host targets need no Kubernetes");
    };
    SecretResolver secrets = new SecretResolver(noKubernetes);
    DiskActivitiesImpl activities = new DiskActivitiesImpl(
        new TargetRegistry(new TargetsProperties(Map.of("pg", target))), new PostgresConnector(secrets), secrets,
        new ClusterHostings(List.of(new LocalClusterHosting())), new ServerShells(List.of(new HostShell())), noKubernetes);
    if (env != null) {
      env.close();
    }
    env = TestWorkflowEnvironment.newInstance();
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    Worker worker = env.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(ReclaimDiskSpaceWorkflowImpl.class);
    worker.registerActivitiesImplementations(new ApprovalVerifier(null, true), activities);
    env.start();
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (disk != null) {
      disk.close();
    }
  }

  /** Old server logs filling the disk over 85 %, plus a recent log, a file of another name and the server's own current log. */
  private List<Path> fillWithOldLogs() throws IOException {
    Path log = cluster.dataDirectory().resolve("log");
    Files.createDirectories(log);
    long toFill = disk == null ? 3L << 20 : SmallDisk.bytesToFill(cluster.dataDirectory(), 0.92);
    Instant old = Instant.now().minus(Duration.ofDays(30));
    List<Path> oldLogs = List.of(log.resolve(OLD_LOG_PREFIX + "1_000000.log"), log.resolve(OLD_LOG_PREFIX + "2_000000.log"),
        log.resolve(OLD_LOG_PREFIX + "3_000000.csv"));
    for (Path p : oldLogs) {
      write(p, toFill / 3, old);
    }
    write(log.resolve("postgresql-2026-11-20_000000.log"), 1 << 20, Instant.now().minus(Duration.ofDays(2)));
    write(log.resolve("notes.txt"), 1 << 20, old);
    return oldLogs;
  }

  private static void write(Path file, long bytes, Instant modified) throws IOException {
    SmallDisk.write(file, bytes, modified);
  }

  private Set<String> logDirectory() throws IOException {
    try (Stream<Path> files = Files.list(cluster.dataDirectory().resolve("log"))) {
      return new TreeSet<>(files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void approvedDeletionRemovesExactlyTheOldServerLogsAndTheDiskIsUnderTheThresholdAgain() throws Exception {
    start("logs", Map.of("logging_collector", "on"), true, null);
    List<Path> oldLogs = fillWithOldLogs();
    if (disk == null) {
      startWorkflows(percentUsed() - 0.05);
    }
    Set<String> before = logDirectory();
    ReclaimDiskSpaceWorkflow wf = start(new DiskRequest("pg", null, null, null, null, false, "alice"));
    GateView gate = GatedRuns.awaitGate(wf::approvals);
    assertThat(gate.gateId()).isEqualTo(ReclaimDiskSpaceWorkflow.DELETE_LOGS_GATE);
    for (Path p : oldLogs) {
      assertThat(gate.description()).contains(p.getFileName() + " (");
    }
    assertThat(gate.description()).doesNotContain("notes.txt", "postgresql-2026-11-20");
    assertThat(logDirectory()).as("nothing deleted before the approval").isEqualTo(before);

    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
    ReclaimResult result = WorkflowStub.fromTyped(wf).getResult(ReclaimResult.class);

    assertThat(result.breakdown().usage().underThreshold()).as("the diagnosis finds the disk too full").isFalse();
    assertThat(result.breakdown().dataDirectory()).extracting(e -> e.name()).contains("base", "pg_wal", "log");
    assertThat(result.breakdown().dataDirectory().get(0).name()).as("the logs are the largest entry").isEqualTo("log");
    assertThat(result.status()).isEqualTo(ReclaimStatus.DONE);
    assertThat(result.logDeletion().deleted()).containsExactlyInAnyOrderElementsOf(oldLogs.stream().map(p -> p.getFileName().toString()).toList());
    Set<String> expected = new TreeSet<>(before);
    oldLogs.forEach(p -> expected.remove(p.getFileName().toString()));
    assertThat(logDirectory()).as("the recent log, the other file and the server's own log are kept").isEqualTo(expected)
        .contains("notes.txt", "postgresql-2026-11-20_000000.log");
    long freedOnDisk = result.breakdown().usage().usedBytes() - result.logDeletion().freedBytes();
    assertThat(result.checks()).singleElement().satisfies(c -> assertThat(c).contains("freed"));
    assertThat(usedBytes()).isLessThanOrEqualTo(freedOnDisk + (8L << 20));
    if (disk != null) {
      assertThat(result.checks().get(0)).contains("under the 85.0 % threshold").doesNotContain("NOT under");
    }
    GatedRuns.saveHistory(env.getWorkflowClient(), wf, "reclaim-disk-space");
  }

  @Test
  void aRejectedDeletionLeavesEveryFile() throws Exception {
    start("logsr", Map.of("logging_collector", "on"), true, null);
    fillWithOldLogs();
    Set<String> before = logDirectory();
    long used = usedBytes();
    ReclaimDiskSpaceWorkflow wf = start(new DiskRequest("pg", null, null, null, null, false, "alice"));
    GateView gate = GatedRuns.awaitGate(wf::approvals);
    wf.reject(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "needed for the audit", null));
    ReclaimResult result = WorkflowStub.fromTyped(wf).getResult(ReclaimResult.class);

    assertThat(result.status()).isEqualTo(ReclaimStatus.REJECTED);
    assertThat(result.logDeletion()).isNull();
    assertThat(logDirectory()).isEqualTo(before);
    assertThat(usedBytes()).isGreaterThanOrEqualTo(used - (8L << 20));
  }

  @Test
  void approvedVacuumFullShrinksTheBloatedTableAndARejectedOneLeavesIt() throws Exception {
    start("bloat", Map.of("max_wal_size", "64MB", "min_wal_size", "32MB"), true, null);
    cluster.execute("postgres",
        "create table messages (id bigint primary key, body text) with (autovacuum_enabled = false)",
        "insert into messages select g, repeat('m', 200) from generate_series(1, 100000) g",
        "delete from messages where id % 10 <> 0");
    awaitDeadRows("messages");
    long bloated = tableSize("messages");

    ReclaimDiskSpaceWorkflow rejected = start(new DiskRequest("pg", null, true, null, null, false, "alice"));
    GateView first = GatedRuns.awaitGate(rejected::approvals);
    assertThat(first.gateId()).isEqualTo(ReclaimDiskSpaceWorkflow.VACUUM_FULL_GATE);
    assertThat(first.description()).contains("VACUUM FULL of postgres.public.messages", "ACCESS EXCLUSIVE lock");
    rejected.reject(new ApprovalDecision(first.gateId(), "bob", first.digest(), "not now", null));
    assertThat(WorkflowStub.fromTyped(rejected).getResult(ReclaimResult.class).status()).isEqualTo(ReclaimStatus.REJECTED);
    assertThat(tableSize("messages")).as("a rejected VACUUM FULL leaves the table as it was").isEqualTo(bloated);

    ReclaimDiskSpaceWorkflow wf = start(new DiskRequest("pg", null, true, null, null, false, "alice"));
    GateView gate = GatedRuns.awaitGate(wf::approvals);
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "in the window", null));
    ReclaimResult result = WorkflowStub.fromTyped(wf).getResult(ReclaimResult.class);

    assertThat(result.status()).isEqualTo(ReclaimStatus.DONE);
    assertThat(result.largestTables()).anySatisfy(t -> {
      assertThat(t.table()).isEqualTo("messages");
      assertThat(t.deadTuples()).isEqualTo(90_000);
    });
    assertThat(result.vacuums()).singleElement().satisfies(v -> {
      assertThat(v.skipped()).isNull();
      assertThat(v.bytesBefore()).isEqualTo(bloated);
      assertThat(v.bytesAfter()).isLessThan(bloated / 4);
    });
    assertThat(tableSize("messages")).isLessThan(bloated / 4);
    assertThat(result.checks()).singleElement().satisfies(c -> assertThat(c).contains("after VACUUM FULL postgres.public.messages: "));
  }

  @Test
  void stuckArchivingAndAnAbandonedSlotAreFoundAndNothingUnderPgWalIsTouched() throws Exception {
    start("wal", Map.of("archive_mode", "on", "archive_command", "'false'"), false, null);
    cluster.execute("postgres",
        "select pg_create_physical_replication_slot('gone_replica', true)",
        "create table t as select g from generate_series(1, 10000) g",
        "select pg_switch_wal()");
    String failed = awaitArchiveFailure();
    cluster.execute("postgres", "insert into t select g from generate_series(1, 10000) g", "checkpoint");
    Set<String> walBefore = pgWal();

    ReclaimDiskSpaceWorkflow wf = start(new DiskRequest("pg", null, null, null, null, false, "alice"));
    ReclaimResult result = WorkflowStub.fromTyped(wf).getResult(ReclaimResult.class);

    assertThat(result.status()).isEqualTo(ReclaimStatus.NOTHING_TO_DO);
    assertThat(result.wal().archivingStuck()).isTrue();
    assertThat(result.wal().lastFailedWal()).isEqualTo(failed);
    assertThat(result.wal().readySegments()).isPositive();
    assertThat(result.findings()).anySatisfy(f -> assertThat(f).contains("WAL archiving is STUCK", "archive_command 'false'", failed));
    assertThat(result.wal().inactiveRetaining()).singleElement().satisfies(s -> {
      assertThat(s.name()).isEqualTo("gone_replica");
      assertThat(s.retainedBytes()).isPositive();
    });
    assertThat(result.findings()).anySatisfy(f -> assertThat(f).contains("slot gone_replica", "INACTIVE", "dropInactiveSlots"));
    assertThat(pgWal()).as("every WAL file and .ready marker is still there").containsAll(walBefore);

    ReclaimDiskSpaceWorkflow drop = start(new DiskRequest("pg", null, null, null, true, false, "alice"));
    GateView gate = GatedRuns.awaitGate(drop::approvals);
    assertThat(gate.gateId()).isEqualTo(ReclaimDiskSpaceWorkflow.DROP_SLOT_GATE);
    assertThat(gate.description()).contains("slot gone_replica", "need reinitializing");
    drop.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "replica decommissioned", null));
    ReclaimResult dropped = WorkflowStub.fromTyped(drop).getResult(ReclaimResult.class);
    assertThat(dropped.droppedSlots()).containsExactly("gone_replica: dropped");
    assertThat(slots()).isZero();
    assertThat(pgWal()).as("the .ready markers of segments not archived yet stay").containsAll(
        walBefore.stream().filter(n -> n.endsWith(".ready")).toList());
  }

  private ReclaimDiskSpaceWorkflow start(DiskRequest request) {
    ReclaimDiskSpaceWorkflow wf = env.getWorkflowClient().newWorkflowStub(
        ReclaimDiskSpaceWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).build());
    WorkflowClient.start(wf::reclaim, request);
    return wf;
  }

  private long usedBytes() throws IOException {
    FileStore store = Files.getFileStore(cluster.dataDirectory());
    return store.getTotalSpace() - store.getUnallocatedSpace();
  }

  private double percentUsed() throws IOException {
    FileStore store = Files.getFileStore(cluster.dataDirectory());
    long used = store.getTotalSpace() - store.getUnallocatedSpace();
    return Math.round(1000.0 * used / (used + store.getUsableSpace())) / 10.0;
  }

  private Set<String> pgWal() throws IOException {
    Path wal = cluster.dataDirectory().resolve("pg_wal");
    try (Stream<Path> files = Files.walk(wal)) {
      return new TreeSet<>(files.map(p -> wal.relativize(p).toString()).toList());
    }
  }

  private long tableSize(String table) throws Exception {
    return queryLong("select pg_total_relation_size('" + table + "')");
  }

  private long slots() throws Exception {
    return queryLong("select count(*) from pg_replication_slots");
  }

  private long queryLong(String sql) throws Exception {
    try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void awaitDeadRows(String table) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (queryLong("select coalesce(sum(n_dead_tup), 0) from pg_stat_user_tables where relname = '" + table + "'") >= 90_000) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the statistics never showed the dead rows of " + table);
  }

  /** The segment archiving failed on, once the archiver has tried it. */
  private String awaitArchiveFailure() throws Exception {
    for (int i = 0; i < 300; i++) {
      try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select failed_count, last_failed_wal from pg_stat_archiver")) {
        rs.next();
        if (rs.getLong(1) > 0) {
          return rs.getString(2);
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("archive_command 'false' never failed");
  }
}
