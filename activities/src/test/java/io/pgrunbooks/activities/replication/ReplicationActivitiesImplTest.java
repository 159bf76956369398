package io.pgrunbooks.activities.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.activities.targets.TargetConfig.ReplicaPlacement;
import io.pgrunbooks.activities.targets.TargetConfig.ReplicationSettings;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kubernetes hosting of the replica steps against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class ReplicationActivitiesImplTest {
  private static final String NS = "link-services";
  private static final String STAMP = "20991231T235959Z";

  KubernetesClient client;

  private ReplicationActivitiesImpl activities(String volumeClaim) {
    TargetConfig target = new TargetConfig(
        Hosting.KUBERNETES, new Endpoint("jdbc:postgresql://127.0.0.1:1/postgres", "postgres", null),
        List.of(new Endpoint("jdbc:postgresql://127.0.0.1:2/postgres", "postgres", null)), List.of(), List.of(),
        new KubernetesPlacement(NS, "app=postgres", "postgres-primary-0", null, null, null), null, null, null, null, null, null,
        new ReplicationSettings(null, null, List.of(
            new ReplicaPlacement("postgres-replica-0", null, null, null, null, null, null, "postgres-replica-0", volumeClaim))));
    SecretResolver secrets = new SecretResolver(() -> client);
    return new ReplicationActivitiesImpl(
        new TargetRegistry(new TargetsProperties(Map.of("link", target))), new PostgresConnector(secrets), secrets, () -> client);
  }

  private Pod pod() {
    return client.pods().inNamespace(NS).resource(new PodBuilder()
        .withNewMetadata().withName("postgres-replica-0").withNamespace(NS).addToLabels("app", "postgres").endMetadata()
        .build()).create();
  }

  @Test
  void startDeletesTheDiagnosedPodSoItsStatefulSetRecreatesIt() {
    Pod pod = pod();
    ReplicationActivitiesImpl activities = activities(null);

    assertThat(activities.startReplica("link", "postgres-replica-0", pod.getMetadata().getUid()))
        .startsWith("deleted pod link-services/postgres-replica-0");
    assertThat(client.pods().inNamespace(NS).withName("postgres-replica-0").get()).isNull();
    assertThat(activities.startReplica("link", "postgres-replica-0", pod.getMetadata().getUid()))
        .as("a retry finds nothing to delete").contains("does not exist: nothing deleted");
  }

  @Test
  void startLeavesASuccessorPodAlone() {
    pod();
    assertThat(activities(null).startReplica("link", "postgres-replica-0", "uid-of-the-old-pod")).contains("left alone");
    assertThat(client.pods().inNamespace(NS).withName("postgres-replica-0").get()).isNotNull();
  }

  @Test
  void reinitializeDeletesTheConfiguredClaimAndThePod() {
    pod();
    client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("data-postgres-replica-0").withNamespace(NS).endMetadata().build()).create();

    var done = activities("data-postgres-replica-0").reinitializeReplica("link", "postgres-replica-0", STAMP);

    assertThat(done.details()).contains("deleted volume claim link-services/data-postgres-replica-0", "deleted pod link-services/postgres-replica-0");
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("data-postgres-replica-0").get()).isNull();
    assertThat(client.pods().inNamespace(NS).withName("postgres-replica-0").get()).isNull();
  }

  @Test
  void withoutAConfiguredClaimNothingIsReinitialized() {
    pod();
    assertThatThrownBy(() -> activities(null).reinitializeReplica("link", "postgres-replica-0", STAMP))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("keeps its volume");
    assertThat(client.pods().inNamespace(NS).withName("postgres-replica-0").get()).isNotNull();
  }

  @Test
  void theDiagnosisSeesAnUnreachableReplicaAndItsPod() {
    String uid = pod().getMetadata().getUid();
    var status = activities(null).checkReplicaStatus("link", null, "0/5000000");
    assertThat(status).singleElement().satisfies(s -> {
      assertThat(s.reachable()).isFalse();
      assertThat(s.podUid()).isEqualTo(uid);
      assertThat(s.serverRunning()).isFalse();
      assertThat(s.pod()).isEqualTo(NS + "/postgres-replica-0");
      assertThat(s.reinitializeBlocker()).contains("keeps its volume");
    });
  }
}
