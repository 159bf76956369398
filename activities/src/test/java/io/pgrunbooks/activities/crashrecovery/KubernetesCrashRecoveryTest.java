package io.pgrunbooks.activities.crashrecovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.workflows.crashrecovery.RestartOutcome;
import io.pgrunbooks.workflows.crashrecovery.ServerState;
import io.pgrunbooks.workflows.crashrecovery.VolumeState;
import io.pgrunbooks.workflows.targets.Hosting;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kubernetes hosting of Scenario 1 against fabric8's mock server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class KubernetesCrashRecoveryTest {
  private static final String NS = "link-services";
  private static final String POD = "postgres-primary-0";
  private static final TargetConfig TARGET = new TargetConfig(
      Hosting.KUBERNETES, new Endpoint("jdbc:postgresql://db:5432/postgres", "postgres", null), List.of(), List.of(), List.of(),
      new KubernetesPlacement(NS, "app=postgres", POD, "postgres", "/var/lib/postgresql/data", "postgres"), null, null, null);

  KubernetesMockServer server;
  KubernetesClient client;
  private KubernetesCrashRecovery hosting;
  /** The API server (here the mock) gives every pod its uid. */
  private String oldUid;

  @BeforeEach
  void cluster() {
    hosting = new KubernetesCrashRecovery(() -> client, Duration.ofMillis(50));
    oldUid = client.pods().inNamespace(NS).resource(pod(false)).create().getMetadata().getUid();
    client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("data-postgres-primary-0").withNamespace(NS).endMetadata()
        .withNewSpec().withStorageClassName("standard").withNewResources().addToRequests("storage", new Quantity("10Gi")).endResources().endSpec()
        .withNewStatus().withPhase("Bound").addToCapacity("storage", new Quantity("10Gi")).endStatus()
        .build()).create();
    client.v1().events().inNamespace(NS).resource(new EventBuilder()
        .withNewMetadata().withName("e1").withNamespace(NS).endMetadata()
        .withNewInvolvedObject().withKind("Pod").withName(POD).withNamespace(NS).endInvolvedObject()
        .withType("Warning").withReason("BackOff").withMessage("Back-off restarting failed container").withCount(12)
        .withLastTimestamp("2026-11-29T10:00:00Z").build()).create();
    client.v1().events().inNamespace(NS).resource(new EventBuilder()
        .withNewMetadata().withName("e0").withNamespace(NS).endMetadata()
        .withNewInvolvedObject().withKind("Pod").withName(POD).withNamespace(NS).endInvolvedObject()
        .withType("Normal").withReason("Pulled").withMessage("image present").withLastTimestamp("2026-11-29T09:00:00Z").build()).create();
  }

  private static Pod pod(boolean ready) {
    return new PodBuilder()
        .withNewMetadata().withName(POD).withNamespace(NS).addToLabels("app", "postgres").endMetadata()
        .withNewSpec().withNodeName("node-a").addNewContainer().withName("postgres").withImage("postgres:15").endContainer()
        .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data-postgres-primary-0").endPersistentVolumeClaim().endVolume()
        .endSpec()
        .withNewStatus().withPhase("Running")
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .addNewContainerStatus().withName("postgres").withReady(ready).withRestartCount(ready ? 0 : 7)
        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
        .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated().endLastState()
        .endContainerStatus()
        .endStatus().build();
  }

  @Test
  void describeFindsTheCrashLoopItsEventsNewestFirstAndTheClaim() {
    ServerState state = hosting.describeServer(TARGET);
    assertThat(state.identity()).isEqualTo(oldUid);
    assertThat(state.ready()).isFalse();
    assertThat(state.restartCount()).isEqualTo(7);
    assertThat(state.containers()).containsExactly("postgres: waiting CrashLoopBackOff; last terminated OOMKilled, exit 137");
    assertThat(state.events()).containsExactly(
        "2026-11-29T10:00:00Z Warning BackOff (x12): Back-off restarting failed container",
        "2026-11-29T09:00:00Z Normal Pulled: image present");
    assertThat(state.volumeClaim()).isEqualTo("data-postgres-primary-0");
    assertThat(state.node()).isEqualTo("node-a");
  }

  @Test
  void theClaimIsReadLikeKubectlDescribePvc() {
    VolumeState volume = hosting.describeClaim(TARGET, "data-postgres-primary-0");
    assertThat(volume.phase()).isEqualTo("Bound");
    assertThat(volume.capacity()).isEqualTo("10Gi");
    assertThat(volume.storageClass()).isEqualTo("standard");
    assertThat(hosting.describeClaim(TARGET, "missing").notes()).singleElement().satisfies(n -> assertThat(n).contains("does not exist"));
  }

  @Test
  void restartDeletesThePodAndWaitsForItsReadyReplacement() throws Exception {
    CompletableFuture<RestartOutcome> restart =
        CompletableFuture.supplyAsync(() -> hosting.restart(TARGET, oldUid, () -> true, p -> { }));
    for (int i = 0; i < 200 && client.pods().inNamespace(NS).withName(POD).get() != null; i++) {
      Thread.sleep(20);
    }
    assertThat(client.pods().inNamespace(NS).withName(POD).get()).as("the old pod was deleted").isNull();
    assertThat(restart).isNotDone();
    // The StatefulSet controller's part: a new pod of the same name, then Ready.
    String newUid = client.pods().inNamespace(NS).resource(pod(false)).create().getMetadata().getUid();
    Thread.sleep(200);
    assertThat(restart).as("a replacement that is not Ready is waited for").isNotDone();
    client.pods().inNamespace(NS).withName(POD).edit(p -> pod(true).edit().editMetadata().withUid(newUid)
        .withResourceVersion(p.getMetadata().getResourceVersion()).endMetadata().build());
    RestartOutcome outcome = restart.get();
    assertThat(outcome.before()).isEqualTo(oldUid);
    assertThat(outcome.after()).isEqualTo(newUid).isNotEqualTo(oldUid);
    assertThat(outcome.action()).startsWith("deleted pod link-services/postgres-primary-0 (uid " + oldUid + ")");
    assertThat(hosting.podReady(TARGET)).isTrue();
  }

  @Test
  void aRetriedRestartDoesNotDeleteTheReplacement() {
    client.pods().inNamespace(NS).withName(POD).delete();
    String newUid = client.pods().inNamespace(NS).resource(pod(true)).create().getMetadata().getUid();
    RestartOutcome outcome = hosting.restart(TARGET, oldUid, () -> true, p -> { });
    assertThat(outcome.after()).isEqualTo(newUid);
    assertThat(outcome.note()).contains("replaced already");
    assertThat(client.pods().inNamespace(NS).withName(POD).get().getMetadata().getUid()).as("the replacement is kept").isEqualTo(newUid);
  }
}
