package io.pgrunbooks.activities.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.workflows.disk.DataVolume;
import io.pgrunbooks.workflows.disk.SizedEntry;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The kubernetes hosting of Scenario 5: the claim patch against fabric8's mock API server in CRUD
 * mode; the data directory's files through exec at command level (the CRUD mock cannot serve exec):
 * the commands sent to the pod and how their output is read.
 */
@EnableKubernetesMockClient(crud = true)
class DiskActivitiesImplTest {
  private static final String NS = "link-services";
  private static final String DATA = "/var/lib/postgresql/data";

  KubernetesMockServer server;
  KubernetesClient client;

  private final List<List<String>> sent = new ArrayList<>();

  private DiskActivitiesImpl activities(PodCommand pod) {
    TargetConfig target = new TargetConfig(Hosting.KUBERNETES, new Endpoint("jdbc:postgresql://127.0.0.1:1/postgres", "postgres", null),
        List.of(), List.of("link_users"), List.of(),
        new KubernetesPlacement(NS, "app=postgres", "postgres-primary-0", "postgres", DATA, null), null, null, null);
    SecretResolver secrets = new SecretResolver(() -> client);
    return new DiskActivitiesImpl(new TargetRegistry(new TargetsProperties(Map.of("link", target))), new PostgresConnector(secrets),
        secrets, new ClusterHostings(List.of()), () -> client, t -> command -> {
          sent.add(command);
          return pod.run(command);
        });
  }

  private void cluster(String storageClass, Boolean allowExpansion) {
    client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName(storageClass).endMetadata()
        .withProvisioner("ebs.csi.aws.com").withAllowVolumeExpansion(allowExpansion).build()).create();
    client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("data-postgres-primary-0").endMetadata()
        .withNewSpec().withStorageClassName(storageClass).withAccessModes("ReadWriteOnce")
        .withNewResources().addToRequests("storage", new Quantity("100Gi")).endResources().endSpec()
        .withNewStatus().withPhase("Bound").addToCapacity("storage", new Quantity("100Gi")).endStatus()
        .build()).create();
    client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("postgres-primary-0").endMetadata()
        .withNewSpec()
        .addNewContainer().withName("postgres").withImage("postgres:15")
        .addNewVolumeMount().withName("run").withMountPath("/var/run/postgresql").endVolumeMount()
        .addNewVolumeMount().withName("data").withMountPath("/var/lib/postgresql").endVolumeMount()
        .endContainer()
        .addNewVolume().withName("run").withNewEmptyDir().endEmptyDir().endVolume()
        .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data-postgres-primary-0").endPersistentVolumeClaim().endVolume()
        .endSpec().build()).create();
  }

  private String requested() {
    return client.persistentVolumeClaims().inNamespace(NS).withName("data-postgres-primary-0").get()
        .getSpec().getResources().getRequests().get("storage").toString();
  }

  @Test
  void theDataClaimOfAnExpandableClassIsPatchedToTheNewSize() {
    cluster("ssd", true);
    DiskActivitiesImpl activities = activities(c -> new PodCommand.Result(0, "", ""));

    DataVolume before = activities.describeDataVolume("link", "150Gi");
    assertThat(before.claim()).as("the claim mounted at the data directory").isEqualTo("data-postgres-primary-0");
    assertThat(before.expandable()).isTrue();
    assertThat(before.refusal()).isNull();
    assertThat(before.requested()).isEqualTo("100Gi");

    DataVolume after = activities.expandDataVolume("link", "data-postgres-primary-0", "150Gi");
    assertThat(requested()).isEqualTo("150Gi");
    assertThat(after.requested()).isEqualTo("150Gi");
    assertThat(after.capacity()).as("the mock resizes nothing: the capacity says so").isEqualTo("100Gi");
    assertThat(activities.expandDataVolume("link", "data-postgres-primary-0", "150Gi").requested())
        .as("a retry patches nothing more").isEqualTo("150Gi");
  }

  @Test
  void aClassWithoutExpansionIsRefusedAndNothingIsPatched() {
    cluster("standard", false);
    DiskActivitiesImpl activities = activities(c -> new PodCommand.Result(0, "", ""));

    DataVolume volume = activities.describeDataVolume("link", "150Gi");
    assertThat(volume.expandable()).isFalse();
    assertThat(volume.refusal()).contains("storage class standard", "does not allow volume expansion");
    assertThatThrownBy(() -> activities.expandDataVolume("link", "data-postgres-primary-0", "150Gi"))
        .isInstanceOf(ApplicationFailure.class).hasMessageContaining("does not allow volume expansion");
    assertThat(requested()).isEqualTo("100Gi");
  }

  @Test
  void aSizeNotLargerThanTheCurrentIsRefused() {
    cluster("ssd", true);
    DiskActivitiesImpl activities = activities(c -> new PodCommand.Result(0, "", ""));
    assertThat(activities.describeDataVolume("link", "80Gi").refusal()).contains("not larger than the claim's current request 100Gi");
    assertThat(activities.describeDataVolume("link", "lots").refusal()).contains("not a Kubernetes quantity");
  }

  @Test
  void duInThePodIsReadPerTopLevelEntry() {
    PodDataDirectory files = new PodDataDirectory(t -> command -> {
      sent.add(command);
      return new PodCommand.Result(1, "1024\t" + DATA + "/log\n4096\t" + DATA + "/base\n16\t" + DATA + "/PG_VERSION\n5200\t" + DATA + "\n",
          "du: cannot access '" + DATA + "/base/pgsql_tmp/x': No such file or directory");
    });
    List<SizedEntry> sizes = files.topLevelSizes(target());
    assertThat(sent).containsExactly(List.of("du", "-a", "-k", "-d", "1", DATA));
    assertThat(sizes).containsExactly(new SizedEntry("base", 4096 * 1024L), new SizedEntry("log", 1024 * 1024L), new SizedEntry("PG_VERSION", 16 * 1024L));
  }

  @Test
  void logFilesAreListedAndDeletedOneByOneWithTheCutoffRecheckedByFind() {
    PodDataDirectory files = new PodDataDirectory(t -> command -> {
      sent.add(command);
      return command.contains("-delete")
          ? new PodCommand.Result(0, DATA + "/log/postgresql-2026-10-01_000000.log\n", "")
          : new PodCommand.Result(0, "5242880\t1759276800.5\tpostgresql-2026-10-01_000000.log\n12\t1764000000.0\tnotes.txt\n", "");
    });
    assertThat(files.regularFiles(target(), DATA + "/log")).containsExactly(
        new DataDirectoryFiles.FileInfo("postgresql-2026-10-01_000000.log", 5242880, 1759276800500L),
        new DataDirectoryFiles.FileInfo("notes.txt", 12, 1764000000000L));
    assertThat(files.deleteIfUnmodifiedSince(target(), DATA + "/log", "postgresql-2026-10-01_000000.log", 1763000000000L)).isTrue();
    assertThat(sent).containsExactly(
        List.of("find", DATA + "/log", "-mindepth", "1", "-maxdepth", "1", "-type", "f", "-printf", "%s\\t%T@\\t%f\\n"),
        List.of("find", DATA + "/log", "-mindepth", "1", "-maxdepth", "1", "-type", "f", "-name", "postgresql-2026-10-01_000000.log",
            "!", "-newermt", "@1763000000", "-print", "-delete"));
  }

  @Test
  void theLogPatternIsTheServersLogFilename() {
    String pattern = ServerLogCleanup.pattern("postgresql-%Y-%m-%d_%H%M%S.log");
    assertThat("postgresql-2026-10-01_000000.log").matches(pattern);
    assertThat("postgresql-2026-10-01_000000.csv").matches(pattern);
    assertThat("postgresql-2026-10-01_000000.json").matches(pattern);
    assertThat("postgresql.log").doesNotMatch(pattern);
    assertThat("notes.txt").doesNotMatch(pattern);
    assertThat("postgresql-Mon.log").matches(ServerLogCleanup.pattern("postgresql-%a.log"));
    assertThatThrownBy(() -> ServerLogCleanup.resolve(DATA, "pg_wal")).hasMessageContaining("nothing is deleted there");
    assertThatThrownBy(() -> ServerLogCleanup.resolve(DATA, ".")).hasMessageContaining("nothing is deleted there");
    assertThat(ServerLogCleanup.resolve(DATA, "log")).isEqualTo(DATA + "/log");
    assertThat(ServerLogCleanup.resolve(DATA, "/var/log/postgresql")).isEqualTo("/var/log/postgresql");
  }

  private static TargetConfig target() {
    return new TargetConfig(Hosting.KUBERNETES, new Endpoint("jdbc:postgresql://127.0.0.1:1/postgres", "postgres", null), List.of(),
        List.of(), List.of(), new KubernetesPlacement(NS, null, "postgres-primary-0", "postgres", DATA, null), null, null, null);
  }
}
