package io.pgrunbooks.activities.applications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.workflows.applications.ApplicationActivities;
import io.pgrunbooks.workflows.applications.DeploymentReplicas;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Recording and scaling the application deployments, against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class ApplicationActivitiesImplTest {
  private static final String NS = "link-services";

  KubernetesMockServer server;
  KubernetesClient client;
  TestActivityEnvironment env;
  ApplicationActivities activities;

  @BeforeEach
  void setUp() {
    deployment("api-gateway", 3);
    deployment("user-svc", 2);
    TargetRegistry registry = new TargetRegistry(new TargetsProperties(Map.of(
        "link", target(List.of("api-gateway", "user-svc"), new KubernetesPlacement(NS, null, null, null, null, null)),
        "typo", target(List.of("api-gateway", "usr-svc"), new KubernetesPlacement(NS, null, null, null, null, null)),
        "no-namespace", target(List.of("api-gateway"), null),
        "no-apps", target(List.of(), null))));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new ApplicationActivitiesImpl(registry, () -> client));
    activities = env.newActivityStub(ApplicationActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void countsAreRecordedThenScaledToZeroAndBack() {
    List<DeploymentReplicas> recorded = activities.recordReplicas("link");
    assertThat(recorded).containsExactly(new DeploymentReplicas(NS, "api-gateway", 3), new DeploymentReplicas(NS, "user-svc", 2));

    activities.scaleDown("link", recorded);
    activities.scaleDown("link", recorded); // a retried step: setting 0 again changes nothing
    assertThat(replicas("api-gateway")).isZero();
    assertThat(replicas("user-svc")).isZero();

    activities.scaleBack("link", recorded);
    assertThat(replicas("api-gateway")).isEqualTo(3);
    assertThat(replicas("user-svc")).isEqualTo(2);
  }

  @Test
  void scalingDownWaitsUntilThePodsHaveGone() throws Exception {
    client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("api-gateway-abc").withNamespace(NS)
        .addToLabels("app", "api-gateway").endMetadata().withNewStatus().withPhase("Running").endStatus().build()).create();
    // What the ReplicaSet controller does, here 3 s after the scale-down (pods take time to stop).
    CompletableFuture<Void> controller = CompletableFuture.runAsync(() -> {
      while (replicas("api-gateway") != 0) {
        Thread.onSpinWait();
      }
      sleep(3000);
      client.pods().inNamespace(NS).withName("api-gateway-abc").delete();
    });
    activities.scaleDown("link", activities.recordReplicas("link"));
    assertThat(client.pods().inNamespace(NS).withName("api-gateway-abc").get()).as("gone before the step returned").isNull();
    controller.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aMissingDeploymentIsNamedBeforeAnythingIsScaled() {
    assertThatThrownBy(() -> activities.recordReplicas("typo"))
        .isInstanceOf(ActivityFailure.class)
        .cause().isInstanceOf(ApplicationFailure.class)
        .satisfies(e -> {
          assertThat(((ApplicationFailure) e).getType()).isEqualTo("ApplicationsNotFound");
          assertThat(((ApplicationFailure) e).getOriginalMessage()).contains("[usr-svc]").contains(NS);
        });
    assertThat(replicas("api-gateway")).isEqualTo(3);
  }

  @Test
  void deploymentsWithoutANamespaceAreAConfigurationErrorAndNoneIsNothingToDo() {
    assertThatThrownBy(() -> activities.recordReplicas("no-namespace"))
        .cause().isInstanceOf(ApplicationFailure.class).hasMessageContaining("no kubernetes.namespace");
    assertThat(activities.recordReplicas("no-apps")).isEmpty();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deployment(String name, int replicas) {
    client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector().endSpec()
        .build()).create();
  }

  private int replicas(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get().getSpec().getReplicas();
  }

  private static TargetConfig target(List<String> apps, KubernetesPlacement placement) {
    return new TargetConfig(Hosting.HOST, new TargetConfig.Endpoint("jdbc:postgresql://127.0.0.1:1/postgres", "postgres", null),
        List.of(), List.of(), apps, placement, null, null, null);
  }
}
