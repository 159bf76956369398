package io.pgrunbooks.activities.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
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
import io.pgrunbooks.harness.PrimaryDataVolume;
import io.pgrunbooks.workflows.disk.DataVolume;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The kubernetes hosting of Scenario 5: the claim patch against fabric8's mock API server in CRUD
 * mode. The data directory's files in the pod (du, old server logs) are the shared {@code
 * serverfiles} package's, tested there.
 */
@EnableKubernetesMockClient(crud = true)
class DiskActivitiesImplTest {
  private static final String NS = "link-services";
  private static final String DATA = "/var/lib/postgresql/data";

  KubernetesMockServer server;
  KubernetesClient client;

  private DiskActivitiesImpl activities() {
    TargetConfig target = new TargetConfig(Hosting.KUBERNETES, new Endpoint("jdbc:postgresql://127.0.0.1:1/postgres", "postgres", null),
        List.of(), List.of("link_users"), List.of(),
        new KubernetesPlacement(NS, "app=postgres", "postgres-primary-0", "postgres", DATA, null), null, null, null);
    SecretResolver secrets = new SecretResolver(() -> client);
    return new DiskActivitiesImpl(new TargetRegistry(new TargetsProperties(Map.of("link", target))), new PostgresConnector(secrets),
        secrets, new ClusterHostings(List.of()), new ServerShells(List.of(new PodShell((p, command) -> {
          throw new AssertionError("no command in the pod for the claim steps: " + command);
        }))), () -> client);
  }

  private void cluster(String storageClass, Boolean allowExpansion) {
    PrimaryDataVolume.create(client, NS, storageClass, allowExpansion);
  }

  private String requested() {
    return PrimaryDataVolume.requested(client, NS);
  }

  @Test
  void theDataClaimOfAnExpandableClassIsPatchedToTheNewSize() {
    cluster("ssd", true);
    DiskActivitiesImpl activities = activities();

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
    DiskActivitiesImpl activities = activities();

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
    DiskActivitiesImpl activities = activities();
    assertThat(activities.describeDataVolume("link", "80Gi").refusal()).contains("not larger than the claim's current request 100Gi");
    assertThat(activities.describeDataVolume("link", "lots").refusal()).contains("not a Kubernetes quantity");
  }
}
