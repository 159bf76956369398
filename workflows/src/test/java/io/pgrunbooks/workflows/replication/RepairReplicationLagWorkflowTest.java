package io.pgrunbooks.workflows.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.approval.TestApprovals;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

class RepairReplicationLagWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(RepairReplicationLagWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  static final ArchiverStatus ARCHIVING = new ArchiverStatus("on", 12, "000000010000000000000010", "2026-11-23T10:00:00Z", 0, null, null, false);
  static final List<PortCheck> PORTS = List.of(new PortCheck("primary", "10.0.0.1:5432", true, 1, null),
      new PortCheck("replica-1", "10.0.0.2:5432", false, 3000, "Connection refused"));

  private final ReplicationActivities steps = mock(ReplicationActivities.class, withSettings().withoutAnnotations());
  private final EscalationActivities escalation = mock(EscalationActivities.class, withSettings().withoutAnnotations());

  private static ReplicaStatus down(String name) {
    return downWithSlot(name, null);
  }

  private static ReplicaStatus downWithSlot(String name, String slot) {
    return new ReplicaStatus(name, "10.0.0.2:5432", false, "Connection refused", false, null, null, null, null, null, null, null,
        null, slot, false, "/srv/" + name, null, null);
  }

  private static ReplicaStatus streaming(String name, boolean paused, String slot) {
    return new ReplicaStatus(name, "10.0.0.2:5432", true, null, true, null, true, "0/5000000", "0/3000000", "2026-11-23T10:00:00Z",
        "streaming", paused, 0x2000000L, slot, false, "/srv/" + name, null, null);
  }

  private static LagSample sample(long lag) {
    return new LagSample("2026-11-23T10:00:00Z", true, "streaming", "0/5000000", "0/5000000", lag);
  }

  private void start(TestWorkflowEnvironment env, Worker worker, List<SlotStatus> slots, ReplicaStatus... replicas) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    when(steps.checkReplicationLag("link")).thenReturn(new PrimaryReplication(Hosting.HOST, "0/5000000", List.of(), slots));
    when(steps.checkReplicaStatus("link", null, "0/5000000")).thenReturn(List.of(replicas));
    when(steps.checkConnectivity("link")).thenReturn(PORTS);
    when(steps.checkWalArchiving("link")).thenReturn(ARCHIVING);
    when(steps.startReplica(any(), any(), any())).thenReturn("pg_ctl start of /srv/replica-1");
    when(steps.resumeReplay(any(), any())).thenReturn("resumed replay on replica-1");
    when(steps.reinitializeReplica(any(), any(), any()))
        .thenAnswer(a -> new Reinitialization(a.getArgument(1), "/srv/x.pre_reinit_" + a.getArgument(2), "copied anew"));
    worker.registerActivitiesImplementations(TestApprovals.trustingNamespace(), steps, escalation);
    env.start();
  }

  private static RepairReplicationLagWorkflow run(WorkflowClient client, Worker worker, boolean dryRun) {
    RepairReplicationLagWorkflow wf = client.newWorkflowStub(
        RepairReplicationLagWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(wf::repair, new ReplicationRequest("link", null, null, 2, 15, dryRun, "alice"));
    return wf;
  }

  private static GateView pending(TestWorkflowEnvironment env, RepairReplicationLagWorkflow wf, String gateId) {
    env.sleep(Duration.ofSeconds(30));
    GateView gate = wf.approvals().get(wf.approvals().size() - 1);
    assertThat(gate.gateId()).isEqualTo(gateId);
    assertThat(gate.open()).isTrue();
    return gate;
  }

  private static ReplicationResult result(RepairReplicationLagWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(ReplicationResult.class);
  }

  @Test
  void aStoppedReplicaIsStartedOnceApprovedAndTheLagIsSampledUntilCaughtUp(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, List.of(), down("replica-1"));
    when(steps.sampleLag("link", "replica-1")).thenReturn(
        new LagSample("t", false, null, "0/5000000", null, null), sample(30_000_000), sample(9_000_000), sample(1000));
    RepairReplicationLagWorkflow wf = run(client, worker, false);

    GateView gate = pending(env, wf, RepairReplicationLagWorkflow.START_GATE);
    assertThat(gate.description()).contains("pg_ctl start of replica replica-1's data directory /srv/replica-1")
        .contains("why: it is down: Connection refused");
    verify(steps, never()).startReplica(any(), any(), any());
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));

    ReplicationResult result = result(wf);
    assertThat(result.status()).isEqualTo(ReplicationStatus.DONE);
    assertThat(result.recovered()).isTrue();
    assertThat(result.actions()).containsExactly("pg_ctl start of /srv/replica-1");
    assertThat(result.samples()).hasSize(4);
    assertThat(result.checks()).singleElement().satisfies(c -> assertThat(c)
        .startsWith("replica-1 after start-replica: lag 30000000 -> 1000 bytes (falling) over 4 sample(s) in 45 s; caught up"));
    assertThat(result.findings()).anySatisfy(f -> assertThat(f).contains("port check: replica-1 10.0.0.2:5432 NOT reachable"));
    InOrder order = inOrder(steps);
    order.verify(steps).checkReplicationLag("link");
    order.verify(steps).checkReplicaStatus("link", null, "0/5000000");
    order.verify(steps).checkConnectivity("link");
    order.verify(steps).checkWalArchiving("link");
    order.verify(steps).startReplica("link", "replica-1", null);
    order.verify(steps, times(4)).sampleLag("link", "replica-1");
  }

  @Test
  void aReplicaThatDoesNotCatchUpIsReportedAsNotRecoveredAfterTheBoundedRecheck(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, List.of(), down("replica-1"));
    when(steps.sampleLag("link", "replica-1")).thenReturn(sample(30_000_000), sample(40_000_000));
    RepairReplicationLagWorkflow wf = run(client, worker, false);
    GateView gate = pending(env, wf, RepairReplicationLagWorkflow.START_GATE);
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));

    ReplicationResult result = result(wf);
    assertThat(result.recovered()).isFalse();
    // 2 minutes at 15 s: samples at 0, 15, ..., 105 s, then the next would pass the bound.
    assertThat(result.samples()).hasSize(8);
    assertThat(result.checks()).singleElement().satisfies(c -> assertThat(c)
        .contains("lag 30000000 -> 40000000 bytes (rising)").contains("NOT caught up within 2 min"));
  }

  @Test
  void aLostSlotLeadsToReinitializationWithTheOldDirectoryKept(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, List.of(new SlotStatus("replica_1", false, null, "lost", null)), downWithSlot("replica-1", "replica_1"));
    when(steps.sampleLag("link", "replica-1")).thenReturn(sample(0));
    RepairReplicationLagWorkflow wf = run(client, worker, false);

    GateView gate = pending(env, wf, RepairReplicationLagWorkflow.REINITIALIZE_GATE);
    assertThat(gate.description()).contains("move its data directory /srv/replica-1 aside to /srv/replica-1.pre_reinit_")
        .contains("(kept, never deleted); pg_basebackup -R -X stream from the primary with slot replica_1")
        .contains("its slot replica_1 on the primary is lost");
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));

    ReplicationResult result = result(wf);
    assertThat(result.status()).isEqualTo(ReplicationStatus.DONE);
    assertThat(result.recovered()).isTrue();
    verify(steps).reinitializeReplica(any(), any(), anyString());
    verify(steps, never()).startReplica(any(), any(), any());
    assertThat(result.findings()).anySatisfy(f -> assertThat(f).contains("slot replica_1 is inactive and LOST"));
  }

  @Test
  void aPausedReplayIsResumed(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, List.of(), streaming("replica-1", true, null));
    when(steps.sampleLag("link", "replica-1")).thenReturn(sample(0));
    RepairReplicationLagWorkflow wf = run(client, worker, false);
    GateView gate = pending(env, wf, RepairReplicationLagWorkflow.RESUME_REPLAY_GATE);
    assertThat(gate.description()).contains("select pg_wal_replay_resume() on replica replica-1");
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));

    assertThat(result(wf).actions()).containsExactly("resumed replay on replica-1");
  }

  @Test
  void aRejectedFixChangesNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, List.of(), down("replica-1"));
    RepairReplicationLagWorkflow wf = run(client, worker, false);
    GateView gate = pending(env, wf, RepairReplicationLagWorkflow.START_GATE);
    wf.reject(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "it is being upgraded", null));

    ReplicationResult result = result(wf);
    assertThat(result.status()).isEqualTo(ReplicationStatus.REJECTED);
    assertThat(result.reason()).contains("rejected by bob: it is being upgraded");
    assertThat(result.recovered()).isNull();
    verify(steps, never()).startReplica(any(), any(), any());
    verify(steps, never()).sampleLag(any(), any());
  }

  @Test
  void aDryRunOnlyDiagnosesAndPlans(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, List.of(), down("replica-1"));
    ReplicationResult result = result(run(client, worker, true));

    assertThat(result.status()).isEqualTo(ReplicationStatus.PLANNED);
    assertThat(result.repairs()).extracting(ReplicaRepair::kind).containsExactly(RepairKind.START);
    assertThat(result.plan()).anySatisfy(p -> assertThat(p).contains("pg_ctl start of replica replica-1"));
    verify(steps, never()).startReplica(any(), any(), any());
    verify(steps, never()).sampleLag(any(), any());
  }

  @Test
  void aCaughtUpReplicaNeedsNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    ReplicaStatus fine = new ReplicaStatus("replica-1", "10.0.0.2:5432", true, null, true, null, true, "0/5000000", "0/5000000",
        null, "streaming", false, 0L, null, false, "/srv/replica-1", null, null);
    start(env, worker, List.of(), fine);
    ReplicationResult result = result(run(client, worker, false));

    assertThat(result.status()).isEqualTo(ReplicationStatus.NOTHING_TO_DO);
    assertThat(result.findings()).anySatisfy(f -> assertThat(f).isEqualTo("replica-1 streams and is caught up (0 bytes behind)"));
    assertThat(result.decisions()).isEmpty();
    verify(steps, never()).sampleLag(any(), any());
  }
}
