package io.pgrunbooks.activities.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrunbooks.activities.serverfiles.PodShell;
import io.pgrunbooks.activities.serverfiles.ServerShells;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.workflows.backupfailure.BackupPodStorage;
import io.pgrunbooks.workflows.backupfailure.DumpFile;
import io.pgrunbooks.workflows.backupfailure.OldDumps;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** "Check backup pod storage" against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class StorageSpaceActivitiesImplTest {
  private static final String NS = "link-services";
  static final String EVICTION = "Pod ephemeral local storage usage exceeds the total limit of containers 1Gi. ";

  KubernetesMockServer server;
  KubernetesClient client;

  private StorageSpaceActivitiesImpl activities() {
    TargetConfig k8s = new TargetConfig(Hosting.KUBERNETES, new Endpoint("jdbc:postgresql://127.0.0.1:1/postgres", "postgres", null),
        List.of(), List.of("link_users"), List.of(),
        new KubernetesPlacement(NS, "app=postgres", "postgres-primary-0", "postgres", "/var/lib/postgresql/data", null), null, null, null);
    TargetConfig host = new TargetConfig(Hosting.HOST, k8s.primary(), List.of(), List.of(), List.of(), null, null, null, null);
    return new StorageSpaceActivitiesImpl(new TargetRegistry(new TargetsProperties(Map.of("link", k8s, "local", host))),
        new ServerShells(List.of(new PodShell((p, command) -> {
          throw new AssertionError("no command in the pod for the pod storage check: " + command);
        }))), () -> client);
  }

  private void job(String name, String created) {
    client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder().withNewMetadata().withName(name).withCreationTimestamp(created)
        .addToLabels("app", BackupFailureActivitiesImpl.JOB_LABEL).endMetadata().build()).create();
  }

  private void pod(String name, String job, String phase, String reason, String message) {
    client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).addToLabels("job-name", job).endMetadata()
        .withNewSpec().addNewContainer().withName("backup").withImage("postgres:16-alpine")
        .withNewResources().addToLimits("ephemeral-storage", new Quantity("1Gi")).endResources().endContainer().endSpec()
        .withNewStatus().withPhase(phase).withReason(reason).withMessage(message).endStatus().build()).create();
  }

  private void event(String name, String kind, String object, String reason, String message) {
    client.v1().events().inNamespace(NS).resource(new EventBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewInvolvedObject().withKind(kind).withName(object).withNamespace(NS).endInvolvedObject()
        .withReason(reason).withMessage(message).withType("Warning").withCount(2).build()).create();
  }

  @Test
  void anEvictionOverEphemeralStorageOfTheNewestJobsPodIsFound() {
    job("postgres-backup-20261128", "2026-11-28T01:00:00Z");
    job("postgres-backup-20261129", "2026-11-29T01:00:00Z");
    pod("postgres-backup-20261128-a", "postgres-backup-20261128", "Succeeded", null, null);
    pod("postgres-backup-20261129-b", "postgres-backup-20261129", "Failed", "Evicted", EVICTION);
    event("e1", "Pod", "postgres-backup-20261129-b", "Evicted", EVICTION);
    event("e2", "Pod", "postgres-backup-20261128-a", "Evicted", "The node was low on resource: ephemeral-storage.");
    event("e3", "Pod", "postgres-backup-20261129-b", "Pulled", "Successfully pulled image \"postgres:16-alpine\"");

    BackupPodStorage storage = activities().checkBackupPodStorage("link");
    assertThat(storage.job()).as("the newest Job").isEqualTo("postgres-backup-20261129");
    assertThat(storage.pods()).containsExactly("postgres-backup-20261129-b Failed Evicted: " + EVICTION.strip());
    assertThat(storage.ephemeralStorageLimit()).containsExactly("backup=1Gi");
    assertThat(storage.outOfSpace()).isTrue();
    assertThat(storage.evidence()).as("the newest Job's pod only, and only what speaks of space").containsExactly(
        "pod postgres-backup-20261129-b Evicted: " + EVICTION.strip(),
        "event Pod postgres-backup-20261129-b Evicted: " + EVICTION.strip() + " (x2)");
    assertThat(storage.describe()).contains("OUT OF SPACE").contains("ephemeral-storage limit backup=1Gi");
  }

  @Test
  void aJobThatRanOutOfNothingSaysSo() {
    job("postgres-backup-20261129", "2026-11-29T01:00:00Z");
    pod("postgres-backup-20261129-b", "postgres-backup-20261129", "Failed", null, null);
    BackupPodStorage storage = activities().checkBackupPodStorage("link");
    assertThat(storage.outOfSpace()).isFalse();
    assertThat(storage.evidence()).isEmpty();
    assertThat(storage.describe()).endsWith("no eviction or full disk seen");
  }

  @Test
  void withoutABackupJobThereIsNothingToLookAt() {
    BackupPodStorage storage = activities().checkBackupPodStorage("link");
    assertThat(storage.job()).isNull();
    assertThat(storage.describe()).isEqualTo("no backup Job (app=postgres-backup) in " + NS);
  }

  @Test
  void aHostTargetHasNoBackupPod() {
    assertThatThrownBy(() -> activities().checkBackupPodStorage("local")).isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("stage no local file");
  }

  /** backup.local-dump-directory and backup.dump-retention-days as users configure them, used by the listing in the pod. */
  @Test
  void theConfiguredDumpDirectoryAndRetentionAreListedInThePod() {
    String p = "pgrunbooks.targets.link.";
    TargetsProperties bound = new Binder(new MapConfigurationPropertySource(Map.of(
        p + "hosting", "kubernetes", p + "primary.jdbc-url", "jdbc:postgresql://127.0.0.1:1/postgres",
        p + "kubernetes.namespace", NS, p + "kubernetes.primary-pod", "postgres-primary-0",
        p + "kubernetes.data-directory", "/var/lib/postgresql/data", p + "backup.store", "s3",
        p + "backup.local-dump-directory", "/backups", p + "backup.dump-retention-days", "3")))
        .bind("pgrunbooks", TargetsProperties.class).get();
    assertThat(bound.targets().get("link").backup().dumpRetentionDays()).isEqualTo(3);
    long fourDaysOld = Instant.now().minus(Duration.ofDays(4)).getEpochSecond();
    List<List<String>> sent = new ArrayList<>();
    StorageSpaceActivitiesImpl activities = new StorageSpaceActivitiesImpl(new TargetRegistry(bound),
        new ServerShells(List.of(new PodShell((placement, command) -> {
          sent.add(command);
          return new OsCommand.Result(0, command.get(1) + "/nightly.dump|10|" + fourDaysOld + "\n", "");
        }))), () -> client);

    OldDumps dumps = activities.findOldDumpFiles("link");
    assertThat(dumps.retentionDays()).isEqualTo(3);
    assertThat(dumps.directories()).containsExactly("/var/lib/postgresql/data", "/backups");
    assertThat(dumps.files()).extracting(DumpFile::path).containsExactly("/backups/nightly.dump", "/var/lib/postgresql/data/nightly.dump");
    assertThat(sent).extracting(c -> c.get(1)).containsExactly("/var/lib/postgresql/data", "/backups");
    assertThat(TargetConfig.BackupSettings.DEFAULT_DUMP_RETENTION_DAYS).as("the seed's -mtime +7").isEqualTo(7);
  }
}
