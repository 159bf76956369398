package io.pgrunbooks.activities.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgrunbooks.activities.serverfiles.HostShell;
import io.pgrunbooks.activities.serverfiles.ServerShells;
import io.pgrunbooks.activities.storage.TestStores;
import io.pgrunbooks.activities.targets.TargetConfig.BackupSettings;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.harness.GatedRuns;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.SmallDisk;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.backupfailure.BackupFailureRequest;
import io.pgrunbooks.workflows.backupfailure.BackupFailureResult;
import io.pgrunbooks.workflows.backupfailure.BackupFailureStatus;
import io.pgrunbooks.workflows.backupfailure.DumpFile;
import io.pgrunbooks.workflows.backupfailure.FailureClass;
import io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario 3 for real: a PostgreSQL 15 whose data directory lies on a 192 MiB tmpfs of its own
 * ({@link SmallDisk}), filled over the runbook's 90 % with old dump files left in the data directory
 * beside a recent dump, a file that is no dump, and a fake WAL backup history file in pg_wal (the
 * seed's {@code find ... -name "*.backup" -delete} would take it). The real workflow, the real
 * activities and the real backup and verification children (s3proxy) run in temporal-testing's
 * environment; Prometheus is stubbed. The threshold is the workflow's, not the target's, so the test
 * needs the small disk: where this machine does not allow mounting one it is aborted, saying so.
 */
class RespondToBackupFailureStorageAgainstRealPostgresTest {
  private static final String QUEUE = "backup-failure-storage";
  private static final Instant OLD = Instant.now().minus(Duration.ofDays(30));
  private static final String WAL_HISTORY = "000000010000000000000001.00000028.backup";

  private SmallDisk disk;
  private PostgresCluster cluster;
  private TestWorkflowEnvironment env;
  private List<String> oldDumps;

  @BeforeEach
  void start() throws Exception {
    disk = SmallDisk.mount("bfs", 192);
    Assumptions.assumeTrue(disk != null, "mounting a tmpfs is not allowed here (needs root with CAP_SYS_ADMIN):"
        + " the storage class cannot fill a disk over 90 % for real on this machine");
    cluster = PostgresCluster.start("bfs", Map.of(), disk.path());
    cluster.execute("postgres", "create database link_users");
    cluster.execute("link_users", "create table users (id int primary key)", "insert into users select generate_series(1, 100)");
    Path keyFile = Files.createTempFile("bfs-key-", "");
    Files.writeString(keyFile, "storage test passphrase");
    TestStores stores = new TestStores();
    TargetRegistry registry = HostTargets.registry("link", cluster, List.of("link_users"),
        new BackupSettings(TestStores.GOOD, "bfs-" + System.nanoTime(), "file:" + keyFile, null, 1, null, null, null, null, null, null));
    env = BackupFailureWorker.start(QUEUE, registry, stores, new SimpleMeterRegistry(),
        new StorageSpaceActivitiesImpl(registry, new ServerShells(List.of(new HostShell())), HostTargets.NO_KUBERNETES));
    oldDumps = plant();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable open : new AutoCloseable[] {env, cluster, disk}) {
      if (open != null) {
        open.close();
      }
    }
  }

  /**
   * Old dumps filling the disk to about 94 %, a recent dump, a file that is no dump, and in pg_wal a
   * file named like PostgreSQL's backup history files; returns the old dumps' names.
   */
  private List<String> plant() throws IOException {
    Path data = cluster.dataDirectory();
    long toFill = SmallDisk.bytesToFill(data, 0.94) - (3L << 20);
    List<String> old = List.of("link_users-2026-10-01.dump", "manual-2026-10-02.sql.gz", "schema.backup");
    SmallDisk.write(data.resolve(old.get(0)), toFill / 2, OLD);
    SmallDisk.write(data.resolve(old.get(1)), toFill / 2, OLD);
    SmallDisk.write(data.resolve(old.get(2)), 4096, OLD);
    SmallDisk.write(data.resolve("link_users-recent.dump"), 1 << 20, Instant.now().minus(Duration.ofDays(2)));
    SmallDisk.write(data.resolve("notes.txt"), 1 << 20, OLD);
    SmallDisk.write(data.resolve("pg_wal").resolve(WAL_HISTORY), 300, OLD);
    return old;
  }

  /** Every file of the data directory's top level, and pg_wal's backup history file when it is there. */
  private Set<String> files() throws IOException {
    try (Stream<Path> top = Files.list(cluster.dataDirectory())) {
      Set<String> names = new TreeSet<>(top.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList());
      if (Files.exists(cluster.dataDirectory().resolve("pg_wal").resolve(WAL_HISTORY))) {
        names.add("pg_wal/" + WAL_HISTORY);
      }
      return names;
    }
  }

  private RespondToBackupFailureWorkflow run(String id) {
    RespondToBackupFailureWorkflow wf = env.getWorkflowClient().newWorkflowStub(RespondToBackupFailureWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
    WorkflowClient.start(wf::respond, new BackupFailureRequest("link", null, false, "test"));
    return wf;
  }

  @Test
  void oldDumpsAreDeletedAsListedAfterApprovalTheDiskIsRecheckedAndTheBackupVerifies() throws Exception {
    Set<String> before = files();
    RespondToBackupFailureWorkflow wf = run("bf-storage");
    GateView gate = GatedRuns.awaitGate(wf::approvals, RespondToBackupFailureWorkflow.CLEAN_DUMPS_GATE);
    for (String name : oldDumps) {
      assertThat(gate.description()).contains(cluster.dataDirectory() + "/" + name + " (");
    }
    assertThat(gate.description()).startsWith("delete 3 dump file(s)")
        .doesNotContain("link_users-recent.dump", "notes.txt", WAL_HISTORY, "PG_VERSION", "postgresql.conf");
    assertThat(files()).as("nothing deleted before the approval").isEqualTo(before);
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "old manual dumps", null));

    BackupFailureResult r = WorkflowStub.fromTyped(wf).getResult(BackupFailureResult.class);
    assertThat(r.classes()).as(r.report()).contains(FailureClass.STORAGE);
    assertThat(r.disk().percentUsed()).as("step 3 saw the disk over 90 %").isGreaterThanOrEqualTo(90);
    assertThat(r.storage().oldDumps().files()).extracting(DumpFile::name).containsExactlyInAnyOrderElementsOf(oldDumps);
    assertThat(r.storage().dumpDeletion().deleted())
        .containsExactlyInAnyOrderElementsOf(oldDumps.stream().map(n -> cluster.dataDirectory() + "/" + n).toList());
    Set<String> expected = new TreeSet<>(before);
    oldDumps.forEach(expected::remove);
    assertThat(files()).as("the recent dump, the other file, PostgreSQL's files and pg_wal's history file stay").isEqualTo(expected)
        .contains("link_users-recent.dump", "notes.txt", "PG_VERSION", "pg_wal/" + WAL_HISTORY);
    assertThat(r.storage().after().percentUsed()).as("re-checked lower").isLessThan(r.disk().percentUsed()).isLessThan(90);
    assertThat(r.checks()).first().asString().startsWith("after deleting 3 old dump file(s): ").contains("freed", "it helped, now under");
    assertThat(r.backupMetadataKey()).as(r.report()).endsWith("metadata.json");
    assertThat(r.status()).as(r.report()).isEqualTo(BackupFailureStatus.VERIFIED);
    assertThat(r.findings()).as("the cleanup was enough: nothing about growing the disk")
        .noneSatisfy(f -> assertThat(f).containsAnyOf("growing the disk", "volume"));
    GatedRuns.saveHistory(env.getWorkflowClient(), wf, "respond-to-backup-failure-storage");
  }

  @Test
  void aRejectedCleanupEndsTheRunAndDeletesNothing() throws Exception {
    Set<String> before = files();
    RespondToBackupFailureWorkflow wf = run("bf-storage-rejected");
    GateView gate = GatedRuns.awaitGate(wf::approvals, RespondToBackupFailureWorkflow.CLEAN_DUMPS_GATE);
    wf.reject(new ApprovalDecision(gate.gateId(), "carol", gate.digest(), "the dumps are evidence", null));

    BackupFailureResult r = WorkflowStub.fromTyped(wf).getResult(BackupFailureResult.class);
    assertThat(r.status()).isEqualTo(BackupFailureStatus.REJECTED);
    assertThat(r.reason()).contains("gate clean-old-dumps rejected by carol: the dumps are evidence");
    assertThat(r.storage().dumpDeletion()).isNull();
    assertThat(r.backupChildId()).isNull();
    assertThat(files()).as("every file is still there").isEqualTo(before);
  }
}
