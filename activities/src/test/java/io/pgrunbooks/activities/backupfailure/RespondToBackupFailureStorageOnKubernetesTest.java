package io.pgrunbooks.activities.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrunbooks.activities.disk.DiskActivitiesImpl;
import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.serverfiles.PodShell;
import io.pgrunbooks.activities.serverfiles.ServerShells;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.GatedRuns;
import io.pgrunbooks.harness.PrimaryDataVolume;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.ApprovalVerifier;
import io.pgrunbooks.workflows.approval.EscalationActivities;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.assessment.AssessmentActivities;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.backupfailure.BackupAlertActivities;
import io.pgrunbooks.workflows.backupfailure.BackupFailureActivities;
import io.pgrunbooks.workflows.backupfailure.BackupFailureRequest;
import io.pgrunbooks.workflows.backupfailure.BackupFailureResult;
import io.pgrunbooks.workflows.backupfailure.BackupFailureStatus;
import io.pgrunbooks.workflows.backupfailure.BackupRoleCheck;
import io.pgrunbooks.workflows.backupfailure.BackupStoreActivities;
import io.pgrunbooks.workflows.backupfailure.ConnectivityCheck;
import io.pgrunbooks.workflows.backupfailure.FailureClass;
import io.pgrunbooks.workflows.backupfailure.KeyCheck;
import io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow;
import io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflowImpl;
import io.pgrunbooks.workflows.backupfailure.StoreProbe;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.response.IncidentReportActivities;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The storage class on kubernetes, end to end through the real workflow and the real storage and
 * claim activities: the claim patch against fabric8's mock API server in CRUD mode, the dump files in
 * the pod through a scripted exec (the mock serves no exec). The other steps are mocked; the encryption
 * key is missing so that the run stops BLOCKED before the backup children (this test is about storage).
 */
@EnableKubernetesMockClient(crud = true)
class RespondToBackupFailureStorageOnKubernetesTest {
  private static final String NS = "link-services";
  private static final String QUEUE = "backup-failure-k8s-storage";
  private static final String DATA = PrimaryDataVolume.DATA;
  private static final long OLD = Instant.now().minus(30, ChronoUnit.DAYS).getEpochSecond();
  private static final StorageUsage FULL = new StorageUsage(DATA, 100L << 30, 95L << 30, 5L << 30, 95.0);

  KubernetesMockServer server;
  KubernetesClient client;
  TestWorkflowEnvironment env;
  /** The commands the pod's exec was sent. */
  final List<List<String>> sent = new ArrayList<>();
  final AssessmentActivities assessment = mock(AssessmentActivities.class, withSettings().withoutAnnotations());

  /** A worker with the real storage and claim activities; the pod's data directory holds {@code dumpLine} (null: none). */
  private void worker(String dumpLine) {
    TargetConfig target = new TargetConfig(Hosting.KUBERNETES, new Endpoint("jdbc:postgresql://127.0.0.1:1/postgres", "postgres", null),
        List.of(), List.of("link_users"), List.of(),
        new KubernetesPlacement(NS, "app=postgres", PrimaryDataVolume.POD, "postgres", DATA, null), null, null, null);
    TargetRegistry registry = new TargetRegistry(new TargetsProperties(Map.of("link", target)));
    ServerShells shells = new ServerShells(List.of(new PodShell((placement, command) -> {
      sent.add(command);
      if (command.contains("-delete")) {
        return new OsCommand.Result(0, DATA + "/" + command.get(command.indexOf("-name") + 1) + "\n", "");
      }
      return new OsCommand.Result(0, DATA + "/PG_VERSION|3|" + OLD + "\n" + (dumpLine == null ? "" : dumpLine), "");
    })));
    SecretResolver secrets = new SecretResolver(() -> client);
    BackupFailureActivities steps = mock(BackupFailureActivities.class, withSettings().withoutAnnotations());
    when(steps.checkDatabaseConnectivity("link")).thenReturn(
        new ConnectivityCheck(Hosting.KUBERNETES, "postgres-primary:5432", true, true, null, "*", null));
    when(steps.checkBackupRole("link")).thenReturn(new BackupRoleCheck("backup", true, true, true, null, List.of(), 16));
    when(steps.checkEncryptionKey("link")).thenReturn(
        new KeyCheck("env:KEY", false, 0, null, false, "no key in this test: the run stops before the backup"));
    when(steps.probeObjectStore("link")).thenReturn(
        new StoreProbe("s3", "link-backups", true, true, true, true, null, null, "http://minio:9000", false));

    env = TestWorkflowEnvironment.newInstance();
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(RespondToBackupFailureWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new ApprovalVerifier(null, true), new StorageSpaceActivitiesImpl(registry, shells, () -> client),
        new DiskActivitiesImpl(registry, new PostgresConnector(secrets), secrets, new ClusterHostings(List.of()), shells, () -> client),
        steps, assessment, mock(BackupAlertActivities.class, withSettings().withoutAnnotations()),
        mock(BackupStoreActivities.class, withSettings().withoutAnnotations()),
        mock(EscalationActivities.class, withSettings().withoutAnnotations()),
        mock(IncidentReportActivities.class, withSettings().withoutAnnotations()));
    env.start();
  }

  @AfterEach
  void close() {
    env.close();
  }

  private RespondToBackupFailureWorkflow start() {
    RespondToBackupFailureWorkflow wf = env.getWorkflowClient().newWorkflowStub(RespondToBackupFailureWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("bf-k8s-storage").build());
    WorkflowClient.start(wf::respond, new BackupFailureRequest("link", null, false, "alice", "200Gi"));
    return wf;
  }

  private static void approve(RespondToBackupFailureWorkflow wf, String gateId, String description) throws InterruptedException {
    GateView gate = GatedRuns.awaitGate(wf::approvals, gateId);
    assertThat(gate.description()).contains(description);
    wf.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), null, null));
  }

  @Test
  void theDumpIsDeletedInThePodThenTheClaimOfAnExpandableClassIsPatched() throws Exception {
    PrimaryDataVolume.create(client, NS, "ssd", true);
    worker(DATA + "/link_users-2026-10-01.dump|4096|" + OLD + "\n");
    when(assessment.checkDiskUsage("link")).thenReturn(FULL, new StorageUsage(DATA, 100L << 30, 93L << 30, 7L << 30, 93.0),
        new StorageUsage(DATA, 200L << 30, 93L << 30, 107L << 30, 46.5));
    RespondToBackupFailureWorkflow wf = start();

    approve(wf, RespondToBackupFailureWorkflow.CLEAN_DUMPS_GATE, "delete 1 dump file(s), 4.0 KiB: " + DATA + "/link_users-2026-10-01.dump (4.0 KiB");
    approve(wf, RespondToBackupFailureWorkflow.EXPAND_GATE, "PersistentVolumeClaim " + NS + "/" + PrimaryDataVolume.CLAIM
        + " from 100Gi to 200Gi (storage class ssd allows expansion)");
    BackupFailureResult r = WorkflowStub.fromTyped(wf).getResult(BackupFailureResult.class);

    assertThat(r.status()).as(r.report()).isEqualTo(BackupFailureStatus.BLOCKED);
    assertThat(r.classes()).contains(FailureClass.STORAGE);
    assertThat(sent).filteredOn(c -> c.contains("-delete")).singleElement().asList()
        .contains(DATA, "link_users-2026-10-01.dump", "-size", "4096c");
    assertThat(r.checks()).satisfiesExactly(
        c -> assertThat(c).startsWith("after deleting 1 old dump file(s): 95.0% -> 93.0% used").contains("it helped, still not under"),
        c -> assertThat(c).startsWith("after asking for 200Gi on claim " + PrimaryDataVolume.CLAIM + ": 93.0% -> 46.5% used")
            .contains("the file system grew to 200.0 GiB").contains("now under the 90.0% threshold"));
    assertThat(PrimaryDataVolume.requested(client, NS)).isEqualTo("200Gi");
    assertThat(r.storage().expanded().capacity()).as("the mock resizes nothing").isEqualTo("100Gi");
    assertThat(r.actions()).contains("set the storage request of claim " + NS + "/" + PrimaryDataVolume.CLAIM
        + " to 200Gi: capacity still 100Gi (the resize is under way)");
    assertThat(r.findings()).contains("backup pod storage: no backup Job (app=postgres-backup) in " + NS);
  }

  @Test
  void aClassWithoutExpansionIsAFindingAndTheClaimIsNotPatched() throws Exception {
    PrimaryDataVolume.create(client, NS, "standard", false);
    worker(null);
    when(assessment.checkDiskUsage("link")).thenReturn(FULL);
    BackupFailureResult r = WorkflowStub.fromTyped(start()).getResult(BackupFailureResult.class);

    assertThat(r.decisions()).isEmpty();
    assertThat(r.findings()).contains("no dump file older than 7 days in " + DATA + ": nothing to clean")
        .anySatisfy(f -> assertThat(f).startsWith("the volume is not grown: storage class standard of claim " + PrimaryDataVolume.CLAIM
            + " does not allow volume expansion (allowVolumeExpansion is not true)"));
    assertThat(r.storage().volume().expandable()).isFalse();
    assertThat(PrimaryDataVolume.requested(client, NS)).isEqualTo("100Gi");
    assertThat(sent).noneMatch(c -> c.contains("-delete"));
  }
}
