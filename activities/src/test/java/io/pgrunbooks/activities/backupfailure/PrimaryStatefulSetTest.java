package io.pgrunbooks.activities.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.pgrunbooks.activities.kubernetes.ApplicationDeployments;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.workflows.backupfailure.DatabaseService;
import io.pgrunbooks.workflows.backupfailure.DatabaseService.DatabasePod;
import io.pgrunbooks.workflows.backupfailure.DatabaseService.ServiceEndpoints;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1 on kubernetes against fabric8's mock server in CRUD mode: the service, its endpoints and
 * the pods read; the rollout restart patched once across a retry, waited for until the status says it
 * is rolled out (the test plays the StatefulSet controller), and failed clearly when it never is.
 */
@EnableKubernetesMockClient(crud = true)
class PrimaryStatefulSetTest {
  static final String NS = "link-services";
  static final String STS = "postgres-primary";
  static final String POD = "postgres-primary-0";

  KubernetesClient client;
  private final List<String> progress = new CopyOnWriteArrayList<>();
  private PrimaryStatefulSet statefulSet;

  /** A kubernetes target whose primary endpoint is {@code host} (port 5432 unless it says {@code host:port}). */
  static TargetConfig target(String host, String namespace, String primaryPod) {
    String endpoint = host.contains(":") ? host : host + ":5432";
    return new TargetConfig(
        Hosting.KUBERNETES, new Endpoint("jdbc:postgresql://" + endpoint + "/postgres", "postgres", null), List.of(), List.of(),
        List.of(), new KubernetesPlacement(namespace, "app=postgres-primary", primaryPod, "postgres", "/var/lib/postgresql/data", "postgres"),
        null, null, null);
  }

  static final TargetConfig BY_SERVICE = target("postgres-primary.link-services.svc.cluster.local", NS, POD);
  static final TargetConfig BY_FORWARD = target("127.0.0.1", NS, POD);

  @BeforeEach
  void cluster() {
    statefulSet = new PrimaryStatefulSet(() -> client, Duration.ofSeconds(20), Duration.ofMillis(20));
    client.apps().statefulSets().inNamespace(NS).resource(new StatefulSetBuilder()
        .withNewMetadata().withName(STS).withNamespace(NS).endMetadata()
        .withNewSpec().withReplicas(1).withServiceName("postgres-headless")
        .withNewSelector().addToMatchLabels("app", "postgres-primary").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "postgres-primary").addToLabels("role", "primary").endMetadata()
        .withNewSpec().addNewContainer().withName("postgres").withImage("postgres:16").endContainer().endSpec().endTemplate()
        .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
        .endSpec()
        .build()).create();
    controller(s -> s.withObservedGeneration(generation()).withReplicas(1).withReadyReplicas(0).withUpdatedReplicas(1)
        .withCurrentRevision("r1").withUpdateRevision("r1"));
    service("postgres-primary", "postgres-primary");
    service("postgres-headless", "postgres-primary");
    service("redis", "redis");
    client.discovery().v1().endpointSlices().inNamespace(NS).resource(new EndpointSliceBuilder()
        .withNewMetadata().withName("postgres-primary-abc12").withNamespace(NS).addToLabels("kubernetes.io/service-name", "postgres-primary")
        .endMetadata().withAddressType("IPv4")
        .addNewEndpoint().withAddresses("10.0.0.5").withNewConditions().withReady(false).endConditions()
        .withNewTargetRef().withKind("Pod").withName(POD).withNamespace(NS).endTargetRef().endEndpoint()
        .build()).create();
    client.pods().inNamespace(NS).resource(new PodBuilder()
        .withNewMetadata().withName(POD).withNamespace(NS).addToLabels("app", "postgres-primary").endMetadata()
        .withNewSpec().addNewContainer().withName("postgres").withImage("postgres:16").endContainer().endSpec()
        .withNewStatus().withPhase("Running")
        .addNewContainerStatus().withName("postgres").withReady(false).withRestartCount(7)
        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
        .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137).withFinishedAt("2026-11-29T10:00:00Z")
        .endTerminated().endLastState()
        .endContainerStatus().endStatus()
        .build()).create();
    client.pods().inNamespace(NS).resource(new PodBuilder()
        .withNewMetadata().withName("redis-0").withNamespace(NS).addToLabels("app", "redis").endMetadata().build()).create();
  }

  private void service(String name, String app) {
    client.services().inNamespace(NS).resource(new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().addToSelector("app", app).addNewPort().withPort(5432).endPort().endSpec()
        .build()).create();
  }

  private StatefulSet sts() {
    return client.apps().statefulSets().inNamespace(NS).withName(STS).get();
  }

  private long generation() {
    Long generation = sts().getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  /** The StatefulSet controller's part: its status. */
  private void controller(UnaryOperator<io.fabric8.kubernetes.api.model.apps.StatefulSetStatusFluent<?>> status) {
    client.apps().statefulSets().inNamespace(NS).withName(STS).editStatus(s -> {
      var builder = new StatefulSetBuilder(s).editOrNewStatus();
      status.apply(builder);
      return builder.endStatus().build();
    });
  }

  @Test
  void theServiceTheEndpointNamesItsEndpointsAndThePodsAreReported() {
    DatabaseService service = statefulSet.read(BY_SERVICE);

    assertThat(service.statefulSet()).isEqualTo(STS);
    assertThat(service.statefulSetExists()).isTrue();
    assertThat(service.replicas()).isEqualTo(1);
    assertThat(service.readyReplicas()).isZero();
    assertThat(service.services()).containsExactly(
        new ServiceEndpoints("postgres-primary", true, List.of(), List.of("10.0.0.5 (postgres-primary-0)")));
    assertThat(service.pods()).as("the StatefulSet's pods only").containsExactly(
        new DatabasePod(POD, "Running", false, 7, "CrashLoopBackOff", "OOMKilled, exit 137 at 2026-11-29T10:00:00Z"));
    assertThat(service.problems()).containsExactly(
        "service postgres-primary has no ready endpoint: connections to it are refused or time out");
    assertThat(service.healthy()).isFalse();
    assertThat(service.describe()).isEqualTo("statefulset link-services/postgres-primary: 1 replica(s), 0 ready, 1 updated;"
        + " service postgres-primary: no ready endpoint, not ready 10.0.0.5 (postgres-primary-0);"
        + " pod postgres-primary-0: Running, not ready, 7 restart(s), CrashLoopBackOff, last terminated OOMKilled, exit 137 at"
        + " 2026-11-29T10:00:00Z; service postgres-primary has no ready endpoint: connections to it are refused or time out");
  }

  @Test
  void withoutAServiceInTheEndpointEveryServiceSelectingThePodsIsReported() {
    DatabaseService service = statefulSet.read(BY_FORWARD);

    assertThat(service.services()).extracting(ServiceEndpoints::name).containsExactly("postgres-headless", "postgres-primary");
    assertThat(service.problems()).containsExactly(
        "service postgres-headless has no ready endpoint: connections to it are refused or time out",
        "service postgres-primary has no ready endpoint: connections to it are refused or time out");
  }

  @Test
  void aMissingStatefulSetOrServiceIsAProblemNotAFailure() {
    DatabaseService service = statefulSet.read(target("postgres-main.link-services.svc", NS, "postgres-main-0"));

    assertThat(service.statefulSetExists()).isFalse();
    assertThat(service.services()).containsExactly(new ServiceEndpoints("postgres-main", false, List.of(), List.of()));
    assertThat(service.pods()).as("by the target's pod selector").extracting(DatabasePod::name).containsExactly(POD);
    assertThat(service.problems()).containsExactly(
        "statefulset postgres-main does not exist in namespace link-services (the primary pod postgres-main-0 names it):"
            + " nothing here to restart",
        "service postgres-main, which the primary endpoint names, does not exist in namespace link-services");
  }

  @Test
  void namesThatAreNotKubernetesNamesNeverReachTheApi() {
    DatabaseService badNamespace = statefulSet.read(target("127.0.0.1", "Link_Services", POD));
    assertThat(badNamespace.problems()).singleElement().asString()
        .startsWith("kubernetes.namespace 'Link_Services' is not an RFC 1123 label");
    assertThat(statefulSet.read(target("127.0.0.1", NS, "../nodes/x-0")).problems()).singleElement().asString()
        .startsWith("the StatefulSet of kubernetes.primary-pod '../nodes/x' is not an RFC 1123 label");
    assertThat(statefulSet.read(target("Bad_Svc.link-services.svc", NS, POD)).problems()).singleElement().asString()
        .contains("'Bad_Svc' is not a Service name");
    assertThatThrownBy(() -> statefulSet.rolloutRestart(target("127.0.0.1", NS, "primary"), "t", "token", progress::add))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getType()).isEqualTo("InvalidTarget");
        })
        .hasMessageContaining("is not a StatefulSet pod (<statefulset>-<ordinal>)");
  }

  @Test
  void theRolloutRestartPatchesOnceAndWaitsUntilTheStatusSaysRolledOut() throws Exception {
    long before = generation();
    CompletableFuture<String> restart = CompletableFuture.supplyAsync(
        () -> statefulSet.rolloutRestart(BY_SERVICE, "2026-11-29T10:15:00Z", "bf-1/restart-statefulset", progress::add));
    for (int i = 0; i < 500 && annotation(PrimaryStatefulSet.RESTART_TOKEN) == null; i++) {
      Thread.sleep(10);
    }
    assertThat(annotation(ApplicationDeployments.RESTARTED_AT)).isEqualTo("2026-11-29T10:15:00Z");
    assertThat(annotation(PrimaryStatefulSet.RESTART_TOKEN)).isEqualTo("bf-1/restart-statefulset");
    long patched = generation();
    assertThat(patched).as("a template change is a new generation").isGreaterThan(before);
    awaitProgress("waiting for the controller to see the new template");
    assertThat(restart).as("the controller has not seen the patch").isNotDone();

    controller(s -> s.withObservedGeneration(patched).withUpdatedReplicas(0).withReadyReplicas(0).withUpdateRevision("r2"));
    awaitProgress("waiting for pods at the new template: 0 of 1 updated");
    controller(s -> s.withUpdatedReplicas(1).withReadyReplicas(0));
    awaitProgress("waiting for pods to be ready: 0 of 1 ready");
    assertThat(restart).isNotDone();
    controller(s -> s.withReadyReplicas(1).withCurrentRevision("r2"));

    assertThat(restart.get()).isEqualTo("kubectl rollout restart statefulset link-services/postgres-primary (pod template annotated"
        + " kubectl.kubernetes.io/restartedAt=2026-11-29T10:15:00Z); rolled out: 1 of 1 pod(s) updated and ready");

    // A retry after a worker crash: same token, so no second patch and no second rollout.
    String again = statefulSet.rolloutRestart(BY_SERVICE, "2026-11-29T10:20:00Z", "bf-1/restart-statefulset", progress::add);
    assertThat(again).startsWith("nothing patched: statefulset link-services/postgres-primary carries this run's restart token"
        + " already (an earlier attempt of this step restarted it at 2026-11-29T10:15:00Z); rolled out");
    assertThat(generation()).isEqualTo(patched);
    assertThat(annotation(ApplicationDeployments.RESTARTED_AT)).isEqualTo("2026-11-29T10:15:00Z");
  }

  @Test
  void aRolloutThatNeverFinishesFailsForGoodSayingWhatItWaitedFor() {
    statefulSet = new PrimaryStatefulSet(() -> client, Duration.ofMillis(300), Duration.ofMillis(20));

    assertThatThrownBy(() -> statefulSet.rolloutRestart(BY_SERVICE, "2026-11-29T10:15:00Z", "bf-2/restart-statefulset", progress::add))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getType()).isEqualTo("RolloutNotFinished");
          assertThat(f.getOriginalMessage())
              .startsWith("the rollout restart of statefulset link-services/postgres-primary did not finish within 300 ms:"
                  + " waiting for the controller to see the new template")
              .contains("pod postgres-primary-0: Running, not ready, 7 restart(s), CrashLoopBackOff");
        });
    assertThat(progress).isNotEmpty();
  }

  @Test
  void anOnDeleteStatefulSetIsNotPatched() {
    client.apps().statefulSets().inNamespace(NS).withName(STS)
        .edit(s -> new StatefulSetBuilder(s).editSpec().editUpdateStrategy().withType("OnDelete").endUpdateStrategy().endSpec().build());
    long before = generation();

    assertThatThrownBy(() -> statefulSet.rolloutRestart(BY_SERVICE, "2026-11-29T10:15:00Z", "bf-3/restart-statefulset", progress::add))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.getType()).isEqualTo("NotApplicable"))
        .hasMessageContaining("updateStrategy OnDelete");
    assertThat(annotation(PrimaryStatefulSet.RESTART_TOKEN)).isNull();
    assertThat(generation()).isEqualTo(before);
  }

  private String annotation(String key) {
    var metadata = sts().getSpec().getTemplate().getMetadata();
    return metadata.getAnnotations() == null ? null : metadata.getAnnotations().get(key);
  }

  private void awaitProgress(String text) throws InterruptedException {
    for (int i = 0; i < 500 && progress.stream().noneMatch(p -> p.contains(text)); i++) {
      Thread.sleep(10);
    }
    assertThat(progress).anySatisfy(p -> assertThat(p).contains(text));
  }
}
