package io.pgrunbooks.workflows.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
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

class ReclaimDiskSpaceWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(ReclaimDiskSpaceWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  static final long GIB = 1L << 30;
  static final DiskCheck FULL = new DiskCheck("/data", 100 * GIB, 92 * GIB, 8 * GIB, 92.0, 85, false);
  static final DiskCheck BETTER = new DiskCheck("/data", 100 * GIB, 80 * GIB, 20 * GIB, 80.0, 85, true);
  static final LogFile OLD_LOG = new LogFile("postgresql-2026-11-01_000000.log", 5 * GIB, "2026-11-01T23:59:00Z");
  static final OldServerLogs OLD_LOGS = new OldServerLogs(
      "/data/log", "postgresql-\\d{4}\\.(log|csv|json)", 7, "2026-11-15T00:00:00Z", List.of(OLD_LOG), 2, "on");
  static final BloatedTable MESSAGES = new BloatedTable("link_users", "public", "messages", 6 * GIB, 1_000_000, 3_000_000);
  static final ReplicationSlotRetention DEAD_SLOT = new ReplicationSlotRetention("old_replica", "physical", null, false, "extended", 4 * GIB);
  static final WalRetention STUCK = new WalRetention(
      300, 300L * 16 << 20, 290, "on", "aws s3 cp %p s3://gone/%f", 10, "000000010000000000000009", "2026-11-20T10:00:00Z",
      57, "00000001000000000000000A", "2026-11-22T10:00:00Z", true, List.of(DEAD_SLOT), "0", "1GB", "-1");
  static final DataVolume CLAIM = new DataVolume("link-services", "data-postgres-primary-0", "ssd", true, "100Gi", "100Gi", List.of(), null);
  static final DataVolume GROWING = new DataVolume("link-services", "data-postgres-primary-0", "ssd", true, "150Gi", "100Gi",
      List.of("FileSystemResizePending=True: Waiting for user to (re-)start a pod"), null);

  private final DiskActivities steps = mock(DiskActivities.class, withSettings().withoutAnnotations());
  private final EscalationActivities escalation = mock(EscalationActivities.class, withSettings().withoutAnnotations());

  private void start(TestWorkflowEnvironment env, Worker worker, Hosting hosting) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    when(steps.measureDiskUsage("link")).thenReturn(new DiskBreakdown(
        hosting, FULL, List.of(new SizedEntry("base", 70 * GIB), new SizedEntry("pg_wal", 5 * GIB), new SizedEntry("log", 15 * GIB)),
        List.of(new SizedEntry("link_users", 70 * GIB))));
    when(steps.checkWalRetention("link")).thenReturn(STUCK);
    when(steps.findOldServerLogs("link", 7)).thenReturn(OLD_LOGS);
    when(steps.deleteOldServerLogs("link", OLD_LOGS)).thenReturn(new LogDeletion(List.of(OLD_LOG.name()), OLD_LOG.bytes(), List.of()));
    when(steps.dropReplicationSlot("link", "old_replica")).thenReturn("dropped");
    when(steps.describeDataVolume("link", "150Gi")).thenReturn(CLAIM);
    when(steps.expandDataVolume("link", CLAIM.claim(), "150Gi")).thenReturn(GROWING);
    when(steps.findLargestTables("link")).thenReturn(List.of(MESSAGES));
    when(steps.vacuumTables(any(), any(), anyBoolean())).thenReturn(List.of(
        new TableVacuum("link_users", "public", "messages", true, 6 * GIB, 2 * GIB, null)));
    when(steps.recheckDisk("link")).thenReturn(BETTER);
    worker.registerActivitiesImplementations(TestApprovals.trustingNamespace(), steps, escalation);
    env.start();
  }

  private static ReclaimDiskSpaceWorkflow run(WorkflowClient client, Worker worker, DiskRequest request) {
    ReclaimDiskSpaceWorkflow wf = client.newWorkflowStub(
        ReclaimDiskSpaceWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(wf::reclaim, request);
    return wf;
  }

  private static GateView pending(TestWorkflowEnvironment env, ReclaimDiskSpaceWorkflow wf, String gateId) {
    env.sleep(Duration.ofSeconds(30));
    GateView gate = wf.approvals().get(wf.approvals().size() - 1);
    assertThat(gate.gateId()).isEqualTo(gateId);
    assertThat(gate.open()).isTrue();
    return gate;
  }

  private static void approve(ReclaimDiskSpaceWorkflow wf, GateView gate) {
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "ok", null));
  }

  private static ReclaimResult result(ReclaimDiskSpaceWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(ReclaimResult.class);
  }

  @Test
  void onKubernetesEachApprovedChangeIsDoneThenRechecked(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, Hosting.KUBERNETES);
    ReclaimDiskSpaceWorkflow wf = run(client, worker, new DiskRequest("link", null, true, "150Gi", true, false, "alice"));

    GateView slot = pending(env, wf, ReclaimDiskSpaceWorkflow.DROP_SLOT_GATE);
    assertThat(slot.description()).contains("slot old_replica", "INACTIVE", "retaining 4.0 GiB", "need reinitializing");
    verify(steps, never()).dropReplicationSlot(any(), any());
    approve(wf, slot);

    GateView logs = pending(env, wf, ReclaimDiskSpaceWorkflow.DELETE_LOGS_GATE);
    assertThat(logs.description()).contains("from /data/log", "postgresql-2026-11-01_000000.log (5.0 GiB, modified 2026-11-01T23:59:00Z)");
    verify(steps, never()).deleteOldServerLogs(any(), any());
    approve(wf, logs);

    GateView expand = pending(env, wf, ReclaimDiskSpaceWorkflow.EXPAND_GATE);
    assertThat(expand.description()).contains("PersistentVolumeClaim link-services/data-postgres-primary-0 from 100Gi to 150Gi");
    approve(wf, expand);

    GateView full = pending(env, wf, ReclaimDiskSpaceWorkflow.VACUUM_FULL_GATE);
    assertThat(full.description()).contains("VACUUM FULL of link_users.public.messages", "ACCESS EXCLUSIVE lock", "whole duration",
        "free disk of about the table's size");
    approve(wf, full);

    ReclaimResult result = result(wf);
    assertThat(result.status()).isEqualTo(ReclaimStatus.DONE);
    assertThat(result.droppedSlots()).containsExactly("old_replica: dropped");
    assertThat(result.logDeletion().deleted()).containsExactly(OLD_LOG.name());
    assertThat(result.checks()).hasSize(4);
    assertThat(result.checks().get(0)).contains("92.0 GiB -> 80.0 GiB (12.0 GiB freed)", "under the 85.0 % threshold");
    assertThat(result.checks().get(2)).contains("FileSystemResizePending");
    assertThat(result.findings()).anySatisfy(f -> assertThat(f).contains("WAL archiving is STUCK", "aws s3 cp %p s3://gone/%f",
        "00000001000000000000000A", "290 segment(s) wait", "never delete"));
    assertThat(result.actions()).hasSize(4);
    InOrder order = inOrder(steps);
    order.verify(steps).dropReplicationSlot("link", "old_replica");
    order.verify(steps).recheckDisk("link");
    order.verify(steps).deleteOldServerLogs("link", OLD_LOGS);
    order.verify(steps).recheckDisk("link");
    order.verify(steps).expandDataVolume("link", CLAIM.claim(), "150Gi");
    order.verify(steps).recheckDisk("link");
    order.verify(steps).vacuumTables("link", List.of(MESSAGES), true);
    order.verify(steps).recheckDisk("link");
  }

  @Test
  void onAHostOutsideAWindowOnlyPlainVacuumIsProposedAndSlotsAreOnlyReported(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, Hosting.HOST);
    ReclaimDiskSpaceWorkflow wf = run(client, worker, new DiskRequest("link", null, null, "150Gi", null, false, "alice"));
    approve(wf, pending(env, wf, ReclaimDiskSpaceWorkflow.DELETE_LOGS_GATE));
    GateView plain = pending(env, wf, ReclaimDiskSpaceWorkflow.VACUUM_GATE);
    assertThat(plain.description()).contains("VACUUM (not FULL)").doesNotContain("ACCESS EXCLUSIVE");
    approve(wf, plain);

    ReclaimResult result = result(wf);
    assertThat(result.status()).isEqualTo(ReclaimStatus.DONE);
    assertThat(result.findings())
        .anySatisfy(f -> assertThat(f).contains("slot old_replica", "run again with dropInactiveSlots"))
        .anySatisfy(f -> assertThat(f).contains("not done by this run on HOST hosting", "resize2fs"));
    verify(steps).vacuumTables("link", List.of(MESSAGES), false);
    verify(steps, never()).dropReplicationSlot(any(), any());
    verify(steps, never()).describeDataVolume(any(), any());
    verify(steps, never()).expandDataVolume(any(), any(), any());
  }

  @Test
  void aRejectedGateChangesNothing(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, Hosting.HOST);
    ReclaimDiskSpaceWorkflow wf = run(client, worker, new DiskRequest("link", null, true, null, null, false, "alice"));
    GateView logs = pending(env, wf, ReclaimDiskSpaceWorkflow.DELETE_LOGS_GATE);
    wf.reject(new ApprovalDecision(logs.gateId(), "bob", logs.digest(), "keep them for the audit", null));

    ReclaimResult result = result(wf);
    assertThat(result.status()).isEqualTo(ReclaimStatus.REJECTED);
    assertThat(result.reason()).contains("rejected by bob: keep them for the audit");
    assertThat(result.actions()).isEmpty();
    verify(steps, never()).deleteOldServerLogs(any(), any());
    verify(steps, never()).vacuumTables(any(), any(), anyBoolean());
    verify(steps, never()).recheckDisk(any());
  }

  @Test
  void aDryRunOnlyDiagnosesAndPlans(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, Hosting.KUBERNETES);
    ReclaimDiskSpaceWorkflow wf = run(client, worker, new DiskRequest("link", 7, true, "150Gi", true, true, "alice"));
    ReclaimResult result = result(wf);
    assertThat(result.status()).isEqualTo(ReclaimStatus.PLANNED);
    assertThat(result.plan())
        .anySatisfy(p -> assertThat(p).contains("drop replication slot(s) [old_replica]"))
        .anySatisfy(p -> assertThat(p).contains("delete [" + OLD_LOG.name() + "] from /data/log"))
        .anySatisfy(p -> assertThat(p).contains("to 150Gi"))
        .anySatisfy(p -> assertThat(p).startsWith("VACUUM FULL link_users.public.messages"));
    assertThat(wf.approvals()).isEmpty();
    verify(steps, never()).dropReplicationSlot(any(), any());
    verify(steps, never()).deleteOldServerLogs(any(), any());
    verify(steps, never()).expandDataVolume(any(), any(), anyString());
    verify(steps, never()).vacuumTables(any(), any(), anyBoolean());
  }

  @Test
  void aVolumeThatCannotGrowIsAFindingAndNoGate(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker, Hosting.KUBERNETES);
    when(steps.describeDataVolume("link", "150Gi")).thenReturn(new DataVolume("link-services", "data-postgres-primary-0", "standard",
        false, "100Gi", "100Gi", List.of(), "storage class standard of claim data-postgres-primary-0 does not allow volume expansion"));
    ReclaimDiskSpaceWorkflow wf = run(client, worker, new DiskRequest("link", null, true, "150Gi", null, true, "alice"));
    ReclaimResult result = result(wf);
    assertThat(result.findings()).anySatisfy(f -> assertThat(f).contains("the volume is not grown: storage class standard"));
    assertThat(result.plan()).noneSatisfy(p -> assertThat(p).contains(ReclaimDiskSpaceWorkflow.EXPAND_GATE));
  }
}
