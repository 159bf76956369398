package io.pgrunbooks.activities.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrunbooks.activities.hosting.ClusterHosting;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.workflows.assessment.LogFinding;
import io.pgrunbooks.workflows.assessment.PodStatus;
import io.pgrunbooks.workflows.assessment.ResourceUsage;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.assessment.VolumeStatus;
import io.pgrunbooks.workflows.targets.Hosting;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesClusterHostingTest {
  private static final String NS = "link-services";
  private static final int TAIL = 20;
  private static final int SINCE = 600;

  KubernetesMockServer server;
  KubernetesClient client;

  private KubernetesClusterHosting hosting;

  @BeforeEach
  void seedCluster() {
    hosting = new KubernetesClusterHosting(() -> client);

    create(
        databasePod("postgres-primary-0", "primary", "data-postgres-primary-0", "node-a")
            .editStatus()
            .withPhase("Running")
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("postgres")
                    .withReady(true)
                    .withRestartCount(0)
                    .withNewState()
                    .withNewRunning()
                    .withStartedAt("2024-05-01T08:00:00Z")
                    .endRunning()
                    .endState()
                    .build(),
                new ContainerStatusBuilder()
                    .withName("exporter")
                    .withReady(true)
                    .withRestartCount(1)
                    .withNewState()
                    .withNewRunning()
                    .endRunning()
                    .endState()
                    .build())
            .endStatus()
            .build());
    create(
        databasePod("postgres-replica-0", "replica", "pgdata-replica-0", "node-b")
            .editStatus()
            .withPhase("Running")
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("postgres")
                    .withReady(false)
                    .withRestartCount(7)
                    .withNewState()
                    .withNewWaiting()
                    .withReason("CrashLoopBackOff")
                    .withMessage("back-off 5m0s restarting failed container")
                    .endWaiting()
                    .endState()
                    .withNewLastState()
                    .withNewTerminated()
                    .withReason("Error")
                    .withExitCode(1)
                    .endTerminated()
                    .endLastState()
                    .build(),
                new ContainerStatusBuilder()
                    .withName("exporter")
                    .withReady(true)
                    .withRestartCount(2)
                    .withNewState()
                    .withNewRunning()
                    .endRunning()
                    .endState()
                    .build())
            .endStatus()
            .build());
    // Same namespace, other application: neither its pods nor its volumes are the database's.
    create(
        new PodBuilder()
            .withNewMetadata()
            .withName("redis-0")
            .withNamespace(NS)
            .addToLabels("app", "redis")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("redis")
            .endContainer()
            .addNewVolume()
            .withName("data")
            .withNewPersistentVolumeClaim()
            .withClaimName("redis-data")
            .endPersistentVolumeClaim()
            .endVolume()
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .endStatus()
            .build());

    createVolume("pvc-5f1c2a", "data-postgres-primary-0", NS, "100Gi", "Bound");
    // Named neither after postgres nor with a postgres claim: found through the replica's mount.
    createVolume("pvc-9e8d7c", "pgdata-replica-0", NS, "100Gi", "Bound");
    createVolume("pvc-redis", "redis-data", NS, "8Gi", "Bound");
    // Named like the database's but claimed from another namespace: another team's database.
    createVolume("pvc-postgres-analytics", "data-postgres-0", "analytics", "500Gi", "Bound");

    deployment("api-gateway", "api-gateway");
    applicationPod("api-gateway-6f7c9d-abcde", "api-gateway", "gateway");
    applicationPod("api-gateway-6f7c9d-fghij", "api-gateway", "gateway");
    deployment("user-svc", "user-svc");
    applicationPod("user-svc-58b4d-klmno", "user-svc", "app", "istio-proxy");
    applicationPod("user-svc-58b4d-pqrst", "user-svc", "app", "istio-proxy");
    // chat-svc is named in the target but not deployed.
  }

  @Test
  void servesKubernetesHosting() {
    assertThat(hosting.hosting()).isEqualTo(Hosting.KUBERNETES);
  }

  @Test
  void reportsARunningPodWhoseContainersAreAllReadyAsReady() {
    PodStatus primary = pod(hosting.databasePods(target()), "postgres-primary-0");

    assertThat(primary)
        .isEqualTo(new PodStatus("postgres-primary-0", "Running", true, 1, null, "node-a"));
  }

  @Test
  void reportsACrashLoopingPodAsNotReadyWithItsReason() {
    PodStatus replica = pod(hosting.databasePods(target()), "postgres-replica-0");

    assertThat(replica)
        .isEqualTo(
            new PodStatus("postgres-replica-0", "Running", false, 9, "CrashLoopBackOff", "node-b"));
  }

  @Test
  void listsOnlyThePodsTheSelectorChooses() {
    assertThat(hosting.databasePods(target()))
        .extracting(PodStatus::name)
        .containsExactly("postgres-primary-0", "postgres-replica-0");
    assertThat(hosting.databasePods(target("app=postgres,role=primary", null)))
        .extracting(PodStatus::name)
        .containsExactly("postgres-primary-0");
  }

  @Test
  void reportsAPodWithoutContainerStatusesAsNotReady() {
    create(
        new PodBuilder()
            .withNewMetadata()
            .withName("postgres-replica-1")
            .withNamespace(NS)
            .addToLabels("app", "postgres")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("postgres")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Pending")
            .withReason("Unschedulable")
            .endStatus()
            .build());

    assertThat(pod(hosting.databasePods(target()), "postgres-replica-1"))
        .isEqualTo(new PodStatus("postgres-replica-1", "Pending", false, 0, "Unschedulable", null));
  }

  @Test
  void listsTheVolumesTheDatabasePodsMountOrThatAreNamedAfterTheDatabase() {
    List<VolumeStatus> volumes = hosting.persistentVolumes(target());

    assertThat(volumes)
        .containsExactly(
            new VolumeStatus(
                "pvc-5f1c2a", "Bound", "100Gi", NS + "/data-postgres-primary-0", "fast-ssd"),
            new VolumeStatus("pvc-9e8d7c", "Bound", "100Gi", NS + "/pgdata-replica-0", "fast-ssd"));
  }

  @Test
  void findsAVolumeByItsNameWhenNoDatabasePodMountsIt() {
    createVolume("postgres-archive", "wal-archive", NS, "1Ti", "Released");

    assertThat(hosting.persistentVolumes(target()))
        .extracting(VolumeStatus::name, VolumeStatus::phase, VolumeStatus::capacity)
        .contains(tuple("postgres-archive", "Released", "1Ti"));
  }

  @Test
  void scansEveryPodOfEachNamedDeploymentAndKeepsOnlyDatabaseTrouble() {
    expectLog(
        "api-gateway-6f7c9d-abcde",
        null,
        """
        2024-05-01T10:00:00Z INFO GET /users 200 in 12ms
        2024-05-01T10:00:01Z ERROR could not connect to database: connection refused
        2024-05-01T10:00:02Z WARN upstream request timeout after 30s
        2024-05-01T10:00:03Z INFO health check ok
        """);
    expectLog(
        "api-gateway-6f7c9d-fghij",
        null,
        """
        2024-05-01T10:00:04Z INFO started in 2.1s
        2024-05-01T10:00:05Z ERROR org.postgresql.util.PSQLException: FATAL: \
        sorry, too many clients already
        """);
    // Multi-container pods: the log of the container kubectl would choose (annotation).
    expectLog("user-svc-58b4d-klmno", "app", "2024-05-01T10:00:06Z INFO all fine\n");
    expectLog("user-svc-58b4d-pqrst", "app", "2024-05-01T10:00:07Z ERROR connection reset error\n");

    List<LogFinding> findings =
        hosting.applicationLogErrors(target(), TAIL, SINCE, () -> {});

    assertThat(findings).hasSize(3);
    assertThat(findings.get(0))
        .isEqualTo(
            new LogFinding(
                "api-gateway",
                6,
                List.of(
                    "2024-05-01T10:00:01Z ERROR could not connect to database: connection refused",
                    "2024-05-01T10:00:02Z WARN upstream request timeout after 30s",
                    "2024-05-01T10:00:05Z ERROR org.postgresql.util.PSQLException: FATAL: sorry,"
                        + " too many clients already"),
                null));
    assertThat(findings.get(2))
        .isEqualTo(
            new LogFinding(
                "user-svc", 2, List.of("2024-05-01T10:00:07Z ERROR connection reset error"), null));
  }

  @Test
  void reportsAMissingDeploymentWithoutAbortingTheOthersAndHeartbeatsPerDeployment() {
    expectLog("api-gateway-6f7c9d-abcde", null, "ERROR database is unreachable\n");
    expectLog("api-gateway-6f7c9d-fghij", null, "INFO ok\n");
    expectLog("user-svc-58b4d-klmno", "app", "WARN pool timeout\n");
    expectLog("user-svc-58b4d-pqrst", "app", "");
    AtomicInteger progress = new AtomicInteger();

    List<LogFinding> findings =
        hosting.applicationLogErrors(target(), TAIL, SINCE, progress::incrementAndGet);

    assertThat(findings)
        .extracting(LogFinding::deployment)
        .containsExactly("api-gateway", "chat-svc", "user-svc");
    assertThat(findings.get(1))
        .isEqualTo(
            new LogFinding("chat-svc", 0, List.of(), "deployment chat-svc not found in " + NS));
    assertThat(findings.get(0).matches()).containsExactly("ERROR database is unreachable");
    assertThat(findings.get(2).matches()).containsExactly("WARN pool timeout");
    assertThat(progress).hasValue(3);
  }

  @Test
  void reportsAPodWhoseLogCannotBeReadAndStillScansItsSiblings() {
    expectLog("api-gateway-6f7c9d-abcde", null, "ERROR postgres down\n");
    server
        .expect()
        .get()
        .withPath(logPath("api-gateway-6f7c9d-fghij", null))
        .andReturn(
            400,
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(400)
                .withReason("BadRequest")
                .withMessage(
                    "container \"gateway\" in pod \"api-gateway-6f7c9d-fghij\" is waiting to"
                        + " start: ContainerCreating")
                .build())
        .once();

    LogFinding gateway =
        hosting.applicationLogErrors(target(List.of("api-gateway")), TAIL, SINCE, () -> {}).get(0);

    assertThat(gateway.linesScanned()).isEqualTo(1);
    assertThat(gateway.matches()).containsExactly("ERROR postgres down");
    assertThat(gateway.error())
        .isEqualTo(
            "logs of 1 of 2 pods unreadable: api-gateway-6f7c9d-fghij: container \"gateway\" in"
                + " pod \"api-gateway-6f7c9d-fghij\" is waiting to start: ContainerCreating");
  }

  @Test
  void reportsPodResourceUseAsNotApplicableWhenTheClusterHasNoMetricsApi() {
    server
        .expect()
        .get()
        .withPath(metricsPath("postgres-primary-0"))
        .andReturn(404, "404 page not found\n")
        .once();

    assertThatThrownBy(() -> hosting.memoryUsage(target()))
        .isInstanceOf(ClusterHosting.NotApplicable.class)
        .hasMessage("the cluster offers no metrics API (metrics.k8s.io); pod resource use unknown");
  }

  @Test
  void failsWhenTheMetricsApiKnowsNoSuchPod() {
    server
        .expect()
        .get()
        .withPath(metricsPath("postgres-primary-0"))
        .andReturn(
            404,
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(404)
                .withReason("NotFound")
                .withMessage(
                    "podmetrics.metrics.k8s.io \"link-services/postgres-primary-0\" not found")
                .withNewDetails()
                .withName("postgres-primary-0")
                .withGroup("metrics.k8s.io")
                .withKind("pods")
                .endDetails()
                .build())
        .once();

    assertThatThrownBy(() -> hosting.memoryUsage(target()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "metrics.k8s.io has no metrics for pod link-services/postgres-primary-0 (not running,"
                + " or not scraped yet)");
  }

  @Test
  void reportsPodMemoryAgainstTheSumOfItsContainersLimits() {
    server
        .expect()
        .get()
        .withPath(metricsPath("postgres-primary-0"))
        .andReturn(
            200,
            new PodMetricsBuilder()
                .withNewMetadata()
                .withName("postgres-primary-0")
                .withNamespace(NS)
                .endMetadata()
                .withTimestamp("2024-05-01T10:00:00Z")
                .addNewContainer()
                .withName("postgres")
                .withUsage(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("1Gi")))
                .endContainer()
                .addNewContainer()
                .withName("exporter")
                .withUsage(
                    Map.of("cpu", new Quantity("4500000n"), "memory", new Quantity("65536Ki")))
                .endContainer()
                .build())
        .once();

    ResourceUsage usage = hosting.memoryUsage(target());

    long used = (1024L + 64) * 1024 * 1024;
    long limit = (2048L + 256) * 1024 * 1024;
    assertThat(usage)
        .isEqualTo(new ResourceUsage("metrics.k8s.io", limit, used, 47.2, 255L));
  }

  @Test
  void leavesTheTotalUnknownWhenAContainerHasNoMemoryLimit() {
    server
        .expect()
        .get()
        .withPath(metricsPath("redis-0"))
        .andReturn(
            200,
            new PodMetricsBuilder()
                .withNewMetadata()
                .withName("redis-0")
                .withNamespace(NS)
                .endMetadata()
                .addNewContainer()
                .withName("redis")
                .withUsage(Map.of("cpu", new Quantity("1"), "memory", new Quantity("512Mi")))
                .endContainer()
                .build())
        .once();

    ResourceUsage usage =
        hosting.memoryUsage(
            target(
                new KubernetesPlacement(
                    NS, "app=redis", "redis-0", null, "/data", null),
                List.of()));

    assertThat(usage).isEqualTo(new ResourceUsage("metrics.k8s.io", null, 512L << 20, null, 1000L));
  }

  @Test
  void parsesPosixDfOutput() {
    String df =
        """
        Filesystem     1024-blocks     Used Available Capacity Mounted on
        /dev/sdb         102687672 52301232  45126216      54% /var/lib/postgresql/data
        """;

    StorageUsage usage = DiskUsageInPod.parseDf("/var/lib/postgresql/data/pgdata", df);

    assertThat(usage)
        .isEqualTo(
            new StorageUsage(
                "/var/lib/postgresql/data/pgdata",
                102687672L * 1024,
                52301232L * 1024,
                45126216L * 1024,
                53.7));
  }

  @Test
  void parsesDfOutputWhoseFileSystemAndMountPointContainBlanks() {
    String df =
        """
        Filesystem            1024-blocks    Used Available Capacity Mounted on
        //nas/pg share              1000     250       750      25% /mnt/pg data
        """;

    StorageUsage usage = DiskUsageInPod.parseDf("/mnt/pg data", df);

    assertThat(usage).isEqualTo(new StorageUsage("/mnt/pg data", 1024000, 256000, 768000, 25.0));
  }

  @Test
  void rejectsDfOutputWithoutADataLine() {
    assertThatThrownBy(
            () ->
                DiskUsageInPod.parseDf(
                    "/data", "df: /data: No such file or directory\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unexpected df -Pk output for /data");
  }

  // ---------------------------------------------------------------- fixtures

  private static TargetConfig target() {
    return target(List.of("api-gateway", "chat-svc", "user-svc"));
  }

  private static TargetConfig target(List<String> deployments) {
    return target(
        new KubernetesPlacement(
            NS,
            "app=postgres",
            "postgres-primary-0",
            "postgres",
            "/var/lib/postgresql/data",
            null),
        deployments);
  }

  @Test
  void stoppingScalesThePrimarysStatefulSetToZeroAndStartingScalesItBackToOne() {
    client.apps().statefulSets().inNamespace(NS)
        .resource(new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder()
            .withNewMetadata().withName("postgres-primary").withNamespace(NS).endMetadata()
            .withNewSpec().withReplicas(1).endSpec()
            .build())
        .create();
    TargetConfig target = target("app=postgres", "postgres");
    assertThat(hosting.serverRunning(target)).isTrue();
    client.pods().inNamespace(NS).withName("postgres-primary-0").delete(); // what the StatefulSet controller does

    assertThat(hosting.stopServer(target, progress -> {})).isNull();
    assertThat(replicas()).isZero();
    assertThat(hosting.serverRunning(target)).isFalse();
    hosting.startServer(target, null, null);
    assertThat(replicas()).isEqualTo(1);
  }

  private int replicas() {
    return client.apps().statefulSets().inNamespace(NS).withName("postgres-primary").get().getSpec().getReplicas();
  }

  private static TargetConfig target(String podSelector, String volumeMatch) {
    return target(
        new KubernetesPlacement(
            NS, podSelector, "postgres-primary-0", "postgres", "/var/lib/postgresql/data",
            volumeMatch),
        List.of());
  }

  private static TargetConfig target(KubernetesPlacement placement, List<String> deployments) {
    return new TargetConfig(
        Hosting.KUBERNETES, null, List.of(), List.of("app"), deployments, placement, null, null, null);
  }

  private static PodStatus pod(List<PodStatus> pods, String name) {
    return pods.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  private static PodBuilder databasePod(String name, String role, String claim, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .addToLabels("app", "postgres")
        .addToLabels("role", role)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addToContainers(
            new ContainerBuilder()
                .withName("postgres")
                .withNewResources()
                .addToLimits("memory", new Quantity("2Gi"))
                .endResources()
                .build(),
            new ContainerBuilder()
                .withName("exporter")
                .withNewResources()
                .addToLimits("memory", new Quantity("256Mi"))
                .endResources()
                .build())
        .addNewVolume()
        .withName("data")
        .withNewPersistentVolumeClaim()
        .withClaimName(claim)
        .endPersistentVolumeClaim()
        .endVolume()
        .endSpec()
        .withNewStatus()
        .endStatus();
  }

  private void applicationPod(String name, String app, String... containers) {
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NS)
            .addToLabels("app", app)
            .addToLabels("pod-template-hash", "6f7c9d")
            .endMetadata()
            .withNewSpec()
            .endSpec();
    if (containers.length > 1) {
      // Sidecar injectors put themselves first; the annotation names the application container.
      pod.editMetadata()
          .addToAnnotations("kubectl.kubernetes.io/default-container", containers[0])
          .endMetadata();
    }
    List<String> order = Arrays.asList(containers);
    Collections.reverse(order);
    for (String container : order) {
      pod.editSpec().addNewContainer().withName(container).endContainer().endSpec();
    }
    List<ContainerStatus> statuses =
        order.stream()
            .map(c -> new ContainerStatusBuilder().withName(c).withReady(true).build())
            .toList();
    create(
        pod.withNewStatus()
            .withPhase("Running")
            .withContainerStatuses(statuses)
            .endStatus()
            .build());
  }

  private void deployment(String name, String app) {
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", app)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", app)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  private void create(Pod pod) {
    client.pods().inNamespace(NS).resource(pod).create();
  }

  private void createVolume(
      String name, String claim, String claimNamespace, String size, String phase) {
    PersistentVolume pv =
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .addToCapacity("storage", new Quantity(size))
            .withStorageClassName("fast-ssd")
            .withNewClaimRef()
            .withNamespace(claimNamespace)
            .withName(claim)
            .endClaimRef()
            .endSpec()
            .withNewStatus()
            .withPhase(phase)
            .endStatus()
            .build();
    client.persistentVolumes().resource(pv).create();
  }

  /** fabric8 7.8 asks for {@code log?pretty=false[&container=c]&sinceSeconds=s&tailLines=n}. */
  private static String logPath(String pod, String container) {
    return "/api/v1/namespaces/" + NS + "/pods/" + pod + "/log?pretty=false"
        + (container == null ? "" : "&container=" + container)
        + "&sinceSeconds=" + SINCE
        + "&tailLines=" + TAIL;
  }

  private void expectLog(String pod, String container, String text) {
    server.expect().get().withPath(logPath(pod, container)).andReturn(200, text).once();
  }

  private static String metricsPath(String pod) {
    return "/apis/metrics.k8s.io/v1beta1/namespaces/" + NS + "/pods/" + pod;
  }
}
