package io.pgrunbooks.activities.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.ReplicationSettings;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.StreamingReplica;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.ApprovalVerifier;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.replication.RepairKind;
import io.pgrunbooks.workflows.replication.RepairReplicationLagWorkflow;
import io.pgrunbooks.workflows.replication.RepairReplicationLagWorkflowImpl;
import io.pgrunbooks.workflows.replication.ReplicaRepair;
import io.pgrunbooks.workflows.replication.ReplicaStatus;
import io.pgrunbooks.workflows.replication.ReplicationRequest;
import io.pgrunbooks.workflows.replication.ReplicationResult;
import io.pgrunbooks.workflows.replication.ReplicationStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runbook end to end on real PostgreSQL: a primary and a streaming replica made with
 * pg_basebackup -R, the replica stopped while the primary takes writes (so its lag grows), or its
 * slot lost. Time is not skipped: the re-check's samples are a second apart in real time.
 */
class RepairReplicationLagAgainstRealPostgresTest {
  private static final String TASK_QUEUE = "replication";

  static PostgresCluster primary;

  private StreamingReplica replica;
  private TestWorkflowEnvironment env;

  @BeforeAll
  static void startPrimary() {
    // A slot may hold back at most 16 MB of WAL: beyond that the primary removes it and the slot is lost.
    primary = PostgresCluster.start("replication-primary", Map.of("max_slot_wal_keep_size", "16MB", "wal_keep_size", "0"));
    primary.execute("postgres", "create table if not exists events (id bigint primary key, at timestamptz default now())");
  }

  @AfterAll
  static void stopPrimary() {
    primary.close();
  }

  @AfterEach
  void tearDown() {
    if (env != null) {
      env.close();
    }
    if (replica != null) {
      replica.close();
    }
  }

  private void startWorker(StreamingReplica replica) {
    TargetConfig plain = HostTargets.of(primary, List.of("postgres"));
    TargetConfig target = new TargetConfig(
        plain.hosting(), plain.primary(), List.of(replica.endpoint()), plain.databases(), plain.applicationDeployments(),
        plain.kubernetes(), plain.host(), plain.thresholds(), plain.backup(), plain.restore(), plain.pitr(),
        plain.applicationHealthUrls(), new ReplicationSettings(null, null, List.of(replica.placement())));
    Supplier<KubernetesClient> noKubernetes = () -> {
      throw new IllegalStateException("host targets need no Kubernetes");
    };
    SecretResolver secrets = new SecretResolver(noKubernetes);
    ReplicationActivitiesImpl activities = new ReplicationActivitiesImpl(
        new TargetRegistry(new TargetsProperties(Map.of("pg", target))), new PostgresConnector(secrets), secrets, noKubernetes);
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    Worker worker = env.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(RepairReplicationLagWorkflowImpl.class);
    worker.registerActivitiesImplementations(new ApprovalVerifier(null, true), activities);
    env.start();
  }

  /** The replica stopped, then 5000 rows written to the primary: it falls behind. */
  private void stopReplicaAndWrite(long from) {
    replica.stop();
    primary.execute("postgres", "insert into events (id) select g from generate_series(" + from + ", " + (from + 4999) + ") g");
  }

  @Test
  void aStoppedReplicaIsStartedOnceApprovedAndCatchesUp() throws Exception {
    replica = StreamingReplica.start(primary, "replica_start", null);
    startWorker(replica);
    long before = count(primary.connect("postgres"));
    stopReplicaAndWrite(1_000_000);

    RepairReplicationLagWorkflow wf = start();
    GateView gate = awaitGate(wf);
    assertThat(gate.gateId()).isEqualTo(RepairReplicationLagWorkflow.START_GATE);
    assertThat(gate.description())
        .contains("pg_ctl start of replica replica_start's data directory " + replica.dataDirectory())
        .contains("why: it is down: ");
    assertThat(replica.running()).as("nothing started before the approval").isFalse();

    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
    ReplicationResult result = WorkflowStub.fromTyped(wf).getResult(ReplicationResult.class);

    ReplicaStatus found = result.replicas().get(0);
    assertThat(found.reachable()).isFalse();
    assertThat(found.serverRunning()).isFalse();
    assertThat(result.primary().standbys()).as("the primary sees no standby while it is down").isEmpty();
    assertThat(result.connectivity()).anySatisfy(p -> {
      assertThat(p.name()).isEqualTo("replica_start");
      assertThat(p.open()).isFalse();
    });
    assertThat(result.archiver().archiveMode()).isEqualTo("off");
    assertThat(result.repairs()).extracting(ReplicaRepair::kind).containsExactly(RepairKind.START);
    assertThat(result.status()).isEqualTo(ReplicationStatus.DONE);
    assertThat(result.recovered()).isTrue();
    assertThat(result.checks()).singleElement().satisfies(c -> assertThat(c).contains("caught up").contains("it helped"));
    assertThat(replica.running()).isTrue();
    try (Connection c = replica.connect("postgres")) {
      assertThat(count(c)).as("the rows written while it was down are on the replica").isEqualTo(before + 5000);
    }
    io.pgrunbooks.harness.RunHistory.save(
        env.getWorkflowClient(), WorkflowStub.fromTyped(wf).getExecution().getWorkflowId(), "repair-replication-lag");
  }

  @Test
  void aRejectedStartLeavesTheReplicaStopped() throws Exception {
    replica = StreamingReplica.start(primary, "replica_reject", null);
    startWorker(replica);
    stopReplicaAndWrite(2_000_000);

    RepairReplicationLagWorkflow wf = start();
    GateView gate = awaitGate(wf);
    wf.reject(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "it is being moved", null));
    ReplicationResult result = WorkflowStub.fromTyped(wf).getResult(ReplicationResult.class);

    assertThat(result.status()).isEqualTo(ReplicationStatus.REJECTED);
    assertThat(result.actions()).isEmpty();
    assertThat(result.samples()).isEmpty();
    assertThat(replica.running()).isFalse();
  }

  @Test
  void aReplicaWhoseSlotIsLostIsReinitializedAndItsOldDirectoryKept() throws Exception {
    replica = StreamingReplica.start(primary, "replica_reinit", "replica_reinit");
    startWorker(replica);
    stopReplicaAndWrite(3_000_000);
    loseSlot("replica_reinit");

    RepairReplicationLagWorkflow wf = start();
    GateView gate = awaitGate(wf);
    assertThat(gate.gateId()).isEqualTo(RepairReplicationLagWorkflow.REINITIALIZE_GATE);
    assertThat(gate.description()).contains("move its data directory " + replica.dataDirectory() + " aside to "
        + replica.dataDirectory() + ".pre_reinit_").contains("its slot replica_reinit on the primary is lost");
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
    ReplicationResult result = WorkflowStub.fromTyped(wf).getResult(ReplicationResult.class);

    assertThat(result.status()).isEqualTo(ReplicationStatus.DONE);
    assertThat(result.recovered()).isTrue();
    assertThat(result.actions()).singleElement().satisfies(a -> assertThat(a)
        .contains("dropped the lost slot replica_reinit").contains("pg_basebackup -R -X stream").contains("(created)"));
    List<Path> kept = replica.keptDirectories();
    assertThat(kept).singleElement().satisfies(k -> assertThat(k.resolve("PG_VERSION")).exists());
    assertThat(Files.readString(replica.dataDirectory().resolve("postgresql.auto.conf")))
        .as("its own port and name came over").contains("cluster_name = 'replica_reinit'").contains("primary_conninfo");
    replica.awaitStreaming(Duration.ofSeconds(30));
    try (Connection c = primary.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select wal_status, active from pg_replication_slots where slot_name = 'replica_reinit'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isNotEqualTo("lost");
      assertThat(rs.getBoolean(2)).isTrue();
    }
    try (Connection c = replica.connect("postgres")) {
      assertThat(count(c)).isEqualTo(count(primary.connect("postgres")));
    }
  }

  /** Writes WAL past max_slot_wal_keep_size and checkpoints until the primary gives the slot up. */
  private static void loseSlot(String slot) throws SQLException {
    for (int i = 0; i < 40; i++) {
      primary.execute("postgres",
          "create table if not exists filler (x text)",
          "insert into filler select repeat('x', 1000) from generate_series(1, 8000)",
          "truncate filler",
          "select pg_switch_wal()",
          "checkpoint");
      try (Connection c = primary.connect("postgres");
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select wal_status from pg_replication_slots where slot_name = '" + slot + "'")) {
        if (rs.next() && "lost".equals(rs.getString(1))) {
          return;
        }
      }
    }
    throw new AssertionError("slot " + slot + " was not lost");
  }

  private RepairReplicationLagWorkflow start() {
    RepairReplicationLagWorkflow wf = env.getWorkflowClient().newWorkflowStub(
        RepairReplicationLagWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).build());
    WorkflowClient.start(wf::repair, new ReplicationRequest("pg", null, 0L, 1, 1, false, "alice"));
    return wf;
  }

  private static GateView awaitGate(RepairReplicationLagWorkflow wf) {
    for (int i = 0; i < 300; i++) {
      List<GateView> gates = wf.approvals();
      if (!gates.isEmpty()) {
        return gates.get(0);
      }
      Processes.sleep(100);
    }
    throw new AssertionError("no gate opened within 30 s");
  }

  private static long count(Connection c) throws SQLException {
    try (c;
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from events")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
