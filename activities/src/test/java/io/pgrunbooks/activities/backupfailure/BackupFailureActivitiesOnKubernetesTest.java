package io.pgrunbooks.activities.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrunbooks.activities.serverfiles.PodShell;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.workflows.backupfailure.BackupError;
import io.pgrunbooks.workflows.backupfailure.BackupJobStatus;
import io.pgrunbooks.workflows.backupfailure.BackupRun;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.workflows.backupfailure.ConnectivityCheck;
import io.pgrunbooks.workflows.backupfailure.DatabaseService.DatabasePod;
import io.temporal.client.WorkflowClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * The activities' kubernetes side against fabric8's mock server in CRUD mode. Step 2, the seed's
 * {@code kubectl describe job} and {@code kubectl logs -l job-name=...}: the Jobs labelled
 * app=postgres-backup, newest first, with the newest one's log (the pod log, which CRUD mode does not
 * serve, from an expectation). Scenario 1: the connectivity check carries the StatefulSet and its pods.
 */
@EnableKubernetesMockClient(crud = true)
class BackupFailureActivitiesOnKubernetesTest {
  static final String NS = "link-services";
  static final String LOG = """
      pg_dump: dumping contents of table "public.users"
      pg_dump: error: connection to server at "postgres-primary" (10.0.0.5), port 5432 failed: Connection refused
      \tIs the server running on that host and accepting TCP/IP connections?
      backup finished with status 1
      """;

  KubernetesMockServer server;
  KubernetesClient client;
  private BackupFailureActivitiesImpl activities;

  @BeforeEach
  void activities() {
    // A worker outside the cluster: a port-forward on loopback, here with nothing listening.
    TargetConfig target = PrimaryStatefulSetTest.target("127.0.0.1:" + Processes.freePort(), NS, "postgres-primary-0");
    activities = new BackupFailureActivitiesImpl(new TargetRegistry(new TargetsProperties(Map.of("link", target))), null, null, null,
        null, () -> client, new StaticListableBeanFactory(Map.of()).getBeanProvider(WorkflowClient.class),
        new PodShell((placement, command) -> {
          throw new IllegalStateException("the mock API server serves no exec");
        }));
  }

  /** A Job as its controller left it (the API server stamps the creation time: the order is the start time's). */
  private Job job(String name, String namespace, String started, Integer succeeded, Integer failed, String label) {
    return client.batch().v1().jobs().inNamespace(namespace).resource(new JobBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).addToLabels("app", label).endMetadata()
        .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("backup").withImage("postgres:16-alpine").endContainer()
        .withRestartPolicy("Never").endSpec().endTemplate().endSpec()
        .withNewStatus().withStartTime(started).withSucceeded(succeeded).withFailed(failed)
        .addNewCondition().withType(failed == null ? "Complete" : "Failed").withStatus("True")
        .withReason(failed == null ? null : "BackoffLimitExceeded").withMessage(failed == null ? null : "Job has reached the specified backoff limit")
        .endCondition().endStatus()
        .build()).create();
  }

  /** The Job's pod as the Job controller makes it: labelled with the Job's uid and owned by it. */
  private void podOf(Job job, String pod) {
    client.pods().inNamespace(NS).resource(new PodBuilder()
        .withNewMetadata().withName(pod).withNamespace(NS)
        .addToLabels("controller-uid", job.getMetadata().getUid()).addToLabels("job-name", job.getMetadata().getName())
        .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(job.getMetadata().getName())
        .withUid(job.getMetadata().getUid()).withController(true).endOwnerReference()
        .endMetadata()
        .withNewSpec().addNewContainer().withName("backup").withImage("postgres:16-alpine").endContainer().endSpec()
        .withNewStatus().withPhase("Failed").endStatus()
        .build()).create();
  }

  @Test
  void theBackupJobsAreListedNewestFirstWithTheNewestOnesLogAndItsErrorLines() {
    job("postgres-backup-20261127", NS, "2026-11-27T01:00:00Z", 1, null, "postgres-backup");
    Job newest = job("postgres-backup-20261129", NS, "2026-11-29T01:00:00Z", null, 3, "postgres-backup");
    job("postgres-backup-20261128", NS, "2026-11-28T01:00:00Z", null, 1, "postgres-backup");
    job("other-job", NS, "2026-11-30T01:00:00Z", null, 1, "something-else");
    job("postgres-backup-20261130", "elsewhere", "2026-11-30T01:00:00Z", null, 1, "postgres-backup");
    podOf(newest, "postgres-backup-20261129-x7k2p");
    server.expect().get().withPath("/api/v1/namespaces/" + NS + "/pods/postgres-backup-20261129-x7k2p/log?pretty=false&tailLines=100")
        .andReturn(200, LOG).once();

    BackupJobStatus status = activities.readBackupJobStatus("link");

    List<BackupRun> jobs = status.runs().stream().filter(r -> r.source().equals("kubernetes")).toList();
    assertThat(jobs).extracting(BackupRun::id).as("only app=postgres-backup in the target's namespace, newest first")
        .containsExactly("postgres-backup-20261129", "postgres-backup-20261128", "postgres-backup-20261127");
    assertThat(jobs).extracting(BackupRun::status).containsExactly("Failed", "Failed", "Complete");
    assertThat(jobs).extracting(BackupRun::succeeded).containsExactly(false, false, true);
    assertThat(jobs.get(0).startedAt()).isEqualTo("2026-11-29T01:00:00Z");
    assertThat(status.newestJobLog()).isEqualTo(LOG);
    assertThat(jobs.get(0).errors()).extracting(BackupError::message).as("the newest log's error lines").containsExactly(
        "pg_dump: error: connection to server at \"postgres-primary\" (10.0.0.5), port 5432 failed: Connection refused");
    assertThat(jobs.get(0).errors()).extracting(BackupError::source).containsOnly("kubernetes:postgres-backup-20261129");
    assertThat(jobs.get(1).errors()).extracting(BackupError::message).as("an older failed Job: its conditions")
        .singleElement().asString().startsWith("job failed: [BackoffLimitExceeded Job has reached the specified backoff limit]");
    assertThat(jobs.get(2).errors()).isEmpty();
    assertThat(status.problems()).containsExactly(
        "this worker has no Temporal client: its own BackupDatabases runs were not listed");
  }

  @Test
  void theConnectivityCheckCarriesTheStatefulSetItsServicesAndPods() {
    client.apps().statefulSets().inNamespace(NS).resource(new StatefulSetBuilder()
        .withNewMetadata().withName("postgres-primary").withNamespace(NS).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "postgres-primary").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "postgres-primary").endMetadata().endTemplate().endSpec()
        .build()).create();
    client.pods().inNamespace(NS).resource(new PodBuilder()
        .withNewMetadata().withName("postgres-primary-0").withNamespace(NS).addToLabels("app", "postgres-primary").endMetadata()
        .withNewStatus().withPhase("Pending").endStatus().build()).create();

    ConnectivityCheck check = activities.checkDatabaseConnectivity("link");

    assertThat(check.ok()).isFalse();
    assertThat(check.tcpOpen()).isFalse();
    assertThat(check.serverRunning()).as("pg_ctl is the host's").isNull();
    assertThat(check.listenAddresses()).as("the mock serves no exec: unknown, not a failure").isNull();
    assertThat(check.kubernetes().statefulSetExists()).isTrue();
    assertThat(check.kubernetes().pods()).extracting(DatabasePod::name, DatabasePod::phase, DatabasePod::ready)
        .containsExactly(tuple("postgres-primary-0", "Pending", false));
    assertThat(check.kubernetes().problems()).containsExactly("no service in namespace link-services selects the pods of"
        + " statefulset postgres-primary");
    assertThat(check.describe()).contains("TCP closed").contains("; statefulset link-services/postgres-primary: 1 replica(s), 0 ready");
  }

  @Test
  void noBackupJobsIsNoRunsAndNoLog() {
    BackupJobStatus status = activities.readBackupJobStatus("link");

    assertThat(status.runs()).isEmpty();
    assertThat(status.newestJobLog()).isNull();
  }
}
