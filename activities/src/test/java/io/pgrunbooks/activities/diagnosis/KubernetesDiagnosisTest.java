package io.pgrunbooks.activities.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrunbooks.activities.hosting.ClusterHosting.NotApplicable;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.workflows.diagnosis.ContainerDetails;
import io.pgrunbooks.workflows.diagnosis.ContainerResources;
import io.pgrunbooks.workflows.diagnosis.PodDetails;
import io.pgrunbooks.workflows.diagnosis.PodEvent;
import io.pgrunbooks.workflows.targets.Hosting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kubectl steps of the diagnosis against fabric8's mock API server (CRUD mode; logs by expectation). */
@EnableKubernetesMockClient(crud = true)
class KubernetesDiagnosisTest {
  private static final String NS = "link-services";
  private static final TargetConfig TARGET = new TargetConfig(
      Hosting.KUBERNETES, new Endpoint("jdbc:postgresql://postgres:5432/postgres", "postgres", null), List.of(), List.of(),
      List.of(), new KubernetesPlacement(NS, "app=postgres", "postgres-primary-0", "postgres", "/var/lib/postgresql/data", null),
      null, null, null);

  KubernetesMockServer server;
  KubernetesClient client;

  private KubernetesDiagnosis diagnosis;

  @BeforeEach
  void seedCluster() {
    diagnosis = new KubernetesDiagnosis(() -> client);
    create(pod("postgres-primary-0", new ContainerStatusBuilder()
        .withName("postgres").withReady(true).withRestartCount(2)
        .withNewState().withNewRunning().withStartedAt("2026-11-29T11:00:05Z").endRunning().endState()
        .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
        .withFinishedAt("2026-11-29T11:00:00Z").endTerminated().endLastState()
        .build(), "True"));
    create(pod("postgres-replica-0", new ContainerStatusBuilder()
        .withName("postgres").withReady(false).withRestartCount(0)
        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
        .build(), "False"));
    create(new PodBuilder().withNewMetadata().withName("redis-0").withNamespace(NS).addToLabels("app", "redis").endMetadata()
        .withNewSpec().addNewContainer().withName("redis").endContainer().endSpec().build());

    event("e1", "postgres-primary-0", "Warning", "BackOff", "Back-off restarting failed container", "2026-11-29T11:00:01Z", 3);
    event("e2", "postgres-primary-0", "Normal", "Started", "Started container postgres", "2026-11-29T11:00:05Z", 1);
    event("e3", "redis-0", "Warning", "BackOff", "not the database", "2026-11-29T11:00:09Z", 1);
    for (int i = 0; i < 25; i++) {
      event("old-" + i, "postgres-replica-0", "Normal", "Pulled", "image pulled " + i, String.format("2026-11-28T10:%02d:00Z", i), 1);
    }
  }

  @Test
  void describesEachDatabasePodWithConditionsRestartsAndLastTermination() {
    List<PodDetails> pods = diagnosis.describePods(TARGET);

    assertThat(pods).extracting(PodDetails::name).containsExactly("postgres-primary-0", "postgres-replica-0");
    PodDetails primary = pods.get(0);
    assertThat(primary.phase()).isEqualTo("Running");
    assertThat(primary.node()).isEqualTo("node-a");
    assertThat(primary.conditions()).containsExactly("Ready=True");
    assertThat(primary.containers()).containsExactly(
        new ContainerDetails("postgres", true, 2, "running", null, "OOMKilled", 137, "2026-11-29T11:00:00Z"));
    assertThat(pods.get(1).conditions()).containsExactly("Ready=False (ContainersNotReady)");
    assertThat(pods.get(1).containers().get(0)).satisfies(c -> {
      assertThat(c.state()).isEqualTo("waiting");
      assertThat(c.stateReason()).isEqualTo("CrashLoopBackOff");
      assertThat(c.lastTerminationReason()).isNull();
    });
  }

  @Test
  void eventsAreTheDatabasePodsNewestTwenty() {
    List<PodEvent> events = diagnosis.recentEvents(TARGET, 20);

    assertThat(events).hasSize(20);
    assertThat(events).extracting(PodEvent::object).doesNotContain("redis-0");
    assertThat(events.get(0)).isEqualTo(
        new PodEvent("2026-11-29T11:00:05Z", "Normal", "Started", "postgres-primary-0", "Started container postgres", 1));
    assertThat(events.get(1)).isEqualTo(new PodEvent(
        "2026-11-29T11:00:01Z", "Warning", "BackOff", "postgres-primary-0", "Back-off restarting failed container", 3));
    assertThat(events.get(19).message()).as("the oldest five are left out").isEqualTo("image pulled 7");
  }

  @Test
  void requestsAndLimitsOfEveryContainer() {
    List<ContainerResources> resources = diagnosis.resources(TARGET);

    assertThat(resources).containsExactly(
        new ContainerResources("postgres-primary-0", "postgres", Map.of("cpu", "500m", "memory", "1Gi"), Map.of("memory", "2Gi")),
        new ContainerResources("postgres-primary-0", "exporter", Map.of(), Map.of()),
        new ContainerResources("postgres-replica-0", "postgres", Map.of("cpu", "500m", "memory", "1Gi"), Map.of("memory", "2Gi")),
        new ContainerResources("postgres-replica-0", "exporter", Map.of(), Map.of()));
  }

  @Test
  void theCurrentAndPreviousLogsOfThePrimarysPostgresContainer() {
    server.expect().get()
        .withPath("/api/v1/namespaces/" + NS + "/pods/postgres-primary-0/log?pretty=false&container=postgres&sinceSeconds=3600&tailLines=1000")
        .andReturn(200, "LOG:  database system is ready\nERROR:  relation \"x\" does not exist\n").once();
    server.expect().get()
        .withPath("/api/v1/namespaces/" + NS + "/pods/postgres-primary-0/log?pretty=false&container=postgres&previous=true&tailLines=1000")
        .andReturn(200, "PANIC:  could not write to file \"pg_wal/xlogtemp.42\": No space left on device\n").once();

    DiagnosisHosting.RawLog current = diagnosis.databaseLog(TARGET, false);
    DiagnosisHosting.RawLog previous = diagnosis.databaseLog(TARGET, true);

    assertThat(current.source()).isEqualTo("postgres-primary-0/postgres (current)");
    assertThat(current.text()).contains("ERROR:  relation \"x\" does not exist");
    assertThat(previous.source()).isEqualTo("postgres-primary-0/postgres (previous)");
    assertThat(previous.text()).startsWith("PANIC:  could not write");
  }

  @Test
  void aContainerThatNeverRestartedHasNoPreviousLog() {
    TargetConfig replica = new TargetConfig(
        TARGET.hosting(), TARGET.primary(), List.of(), List.of(), List.of(),
        new KubernetesPlacement(NS, "app=postgres", "postgres-replica-0", "postgres", null, null), null, null, null);

    assertThatThrownBy(() -> diagnosis.databaseLog(replica, true))
        .isInstanceOf(NotApplicable.class)
        .hasMessage("container postgres-replica-0/postgres has not restarted: there is no previous log");
  }

  @Test
  void pgCtlStatusIsNotAKubernetesStep() {
    assertThatThrownBy(() -> diagnosis.serverStatus(TARGET)).isInstanceOf(NotApplicable.class);
  }

  private static Pod pod(String name, io.fabric8.kubernetes.api.model.ContainerStatus postgres, String ready) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).addToLabels("app", "postgres").endMetadata()
        .withNewSpec()
        .withNodeName(name.contains("primary") ? "node-a" : "node-b")
        .addToContainers(
            new ContainerBuilder().withName("postgres").withNewResources()
                .addToRequests("cpu", new Quantity("500m")).addToRequests("memory", new Quantity("1Gi"))
                .addToLimits("memory", new Quantity("2Gi")).endResources().build(),
            new ContainerBuilder().withName("exporter").build())
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withStartTime("2026-11-29T10:00:00Z")
        .withConditions(new PodConditionBuilder().withType("Ready").withStatus(ready)
            .withReason("False".equals(ready) ? "ContainersNotReady" : null).build())
        .withContainerStatuses(postgres)
        .endStatus()
        .build();
  }

  private void create(Pod pod) {
    client.pods().inNamespace(NS).resource(pod).create();
  }

  private void event(String name, String pod, String type, String reason, String message, String last, int count) {
    client.v1().events().inNamespace(NS).resource(new EventBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewInvolvedObject().withKind("Pod").withName(pod).withNamespace(NS).endInvolvedObject()
        .withType(type).withReason(reason).withMessage(message).withLastTimestamp(last).withCount(count)
        .build()).create();
  }
}
