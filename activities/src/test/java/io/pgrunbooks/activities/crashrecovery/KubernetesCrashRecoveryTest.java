package io.pgrunbooks.activities.crashrecovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.workflows.crashrecovery.NodeResources;
import io.pgrunbooks.workflows.crashrecovery.RestartOutcome;
import io.pgrunbooks.workflows.crashrecovery.ServerLogs;
import io.pgrunbooks.workflows.crashrecovery.ServerState;
import io.pgrunbooks.workflows.crashrecovery.VolumeState;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
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

  /** fabric8 7.8 asks for {@code log?pretty=false&container=c[&previous=true]&tailLines=n}. */
  private static String logPath(boolean previous) {
    return "/api/v1/namespaces/" + NS + "/pods/" + POD + "/log?pretty=false&container=postgres"
        + (previous ? "&previous=true" : "") + "&tailLines=" + ServerLogs.MAX_LINES;
  }

  @Test
  void thePreviousAndCurrentContainerLogsAreReadBoundedWithTheirFatalLinesPulledOut() {
    StringBuilder previous = new StringBuilder();
    for (int i = 0; i < 70; i++) {
      previous.append("2026-11-29 10:00:").append(i).append(" UTC [1] LOG:  checkpoint starting\n");
    }
    previous.append("2026-11-29 10:01:00 UTC [1] PANIC:  could not write to file \"pg_wal/xlogtemp.1\": No space left on device\n");
    previous.append("2026-11-29 10:01:00 UTC [1] LOG:  ").append("x".repeat(500)).append("\n");
    server.expect().get().withPath(logPath(true)).andReturn(200, previous.toString()).once();
    server.expect().get().withPath(logPath(false))
        .andReturn(200, "2026-11-29 10:02:00 UTC [1] LOG:  database system was interrupted\n"
            + "2026-11-29 10:02:01 UTC [1] FATAL:  the database system is starting up\n").once();

    ServerLogs logs = hosting.readServerLogs(TARGET, null);

    assertThat(logs.sources()).containsExactly(
        "kubectl logs postgres-primary-0 -n link-services -c postgres --previous --tail=50",
        "kubectl logs postgres-primary-0 -n link-services -c postgres --tail=50");
    assertThat(logs.previous()).hasSize(ServerLogs.MAX_LINES);
    assertThat(logs.previous().get(logs.previous().size() - 1)).as("a long line is cut")
        .hasSize(ServerLogs.MAX_LINE + 1).endsWith("…");
    assertThat(logs.current()).containsExactly(
        "2026-11-29 10:02:00 UTC [1] LOG:  database system was interrupted",
        "2026-11-29 10:02:01 UTC [1] FATAL:  the database system is starting up");
    assertThat(logs.fatal()).as("the previous container's first, then the current's").containsExactly(
        "2026-11-29 10:01:00 UTC [1] PANIC:  could not write to file \"pg_wal/xlogtemp.1\": No space left on device",
        "2026-11-29 10:02:01 UTC [1] FATAL:  the database system is starting up");
    assertThat(logs.notes()).isEmpty();
  }

  @Test
  void aContainerThatNeverRestartedHasNoPreviousLogAndSaysSo() {
    server.expect().get().withPath(logPath(true))
        .andReturn(400, "{\"kind\":\"Status\",\"code\":400,\"message\":\"previous terminated container not found\"}").once();
    server.expect().get().withPath(logPath(false)).andReturn(200, "LOG:  database system is ready to accept connections\n").once();

    ServerLogs logs = hosting.readServerLogs(TARGET, null);

    assertThat(logs.previous()).isEmpty();
    assertThat(logs.current()).containsExactly("LOG:  database system is ready to accept connections");
    assertThat(logs.fatal()).isEmpty();
    assertThat(logs.sources()).singleElement().satisfies(s -> assertThat(s).doesNotContain("--previous"));
    assertThat(logs.notes()).singleElement().satisfies(n -> assertThat(n).startsWith("no previous container log (400)"));
  }

  @Test
  void logsTheServiceAccountMayNotReadFailTheStepForGood() {
    server.expect().get().withPath(logPath(true))
        .andReturn(403, "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\",\"message\":\"pods/log is forbidden\"}").once();

    assertThatThrownBy(() -> hosting.readServerLogs(TARGET, null))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo("KubernetesForbidden");
          assertThat(f.isNonRetryable()).isTrue();
        })
        .hasMessageContaining("may not read pod logs");
  }

  @Test
  void theNodeShowsItsAllocatableAgainstTheRequestsOfItsRunningPodsAndItsPressure() {
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-a").endMetadata()
        .withNewStatus().addToAllocatable("cpu", new Quantity("3920m")).addToAllocatable("memory", new Quantity("16Gi"))
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addNewCondition().withType("MemoryPressure").withStatus("True").endCondition()
        .addNewCondition().withType("DiskPressure").withStatus("False").endCondition()
        .endStatus().build()).create();
    // The CRUD mock does not select pods by spec.nodeName, the API server does: the selected list is served as
    // an expectation, with a finished pod and (as a server ignoring the selector would answer) another node's pod.
    server.expect().get().withPath("/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a")
        .andReturn(200, new PodListBuilder().withNewMetadata().endMetadata().withItems(
            requesting(POD, "node-a", "2", "8Gi", "Running"), requesting("api-0", "node-a", "1500m", "4Gi", "Running"),
            requesting("job-0", "node-a", "4", "32Gi", "Succeeded"), requesting("api-1", "node-b", "4", "32Gi", "Running")).build())
        .once();

    NodeResources node = hosting.describeNode(TARGET, "node-a");

    assertThat(node.node()).isEqualTo("node-a");
    assertThat(node.allocatableCpu()).isEqualTo("3920m");
    assertThat(node.allocatableMemory()).isEqualTo("16Gi");
    assertThat(node.requestedCpu()).as("finished pods and other nodes' pods do not count").isEqualTo("3500m");
    assertThat(node.requestedMemory()).isEqualTo(12L << 30);
    assertThat(node.allocatableMemoryBytes()).isEqualTo(16L << 30);
    assertThat(node.pressure()).containsExactly("MemoryPressure");
  }

  @Test
  void aNodeThatIsNotReadyOrGoneOrForbiddenIsSaidOrLeftOut() {
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-a").endMetadata()
        .withNewStatus().addNewCondition().withType("Ready").withStatus("Unknown").endCondition().endStatus().build()).create();
    assertThat(hosting.describeNode(TARGET, "node-a").pressure()).containsExactly("NotReady");
    assertThat(hosting.describeNode(TARGET, "node-gone")).as("a node that does not exist").isNull();

    server.expect().get().withPath("/api/v1/nodes/node-a")
        .andReturn(403, "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\",\"message\":\"nodes is forbidden\"}").once();
    assertThat(hosting.describeNode(TARGET, "node-a")).as("nodes are cluster-scoped: a service account may not read them").isNull();
  }

  private static Pod requesting(String name, String node, String cpu, String memory, String phase) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withNodeName(node)
        .addNewContainer().withName("main").withImage("x").withNewResources()
        .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory)).endResources().endContainer()
        .endSpec().withNewStatus().withPhase(phase).endStatus().build();
  }
}
