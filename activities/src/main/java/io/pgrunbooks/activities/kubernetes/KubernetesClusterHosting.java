package io.pgrunbooks.activities.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ContainerResource;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.pgrunbooks.activities.hosting.ClusterHosting;
import io.pgrunbooks.activities.hosting.LogPatterns;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.workflows.assessment.LogFinding;
import io.pgrunbooks.workflows.assessment.PodStatus;
import io.pgrunbooks.workflows.assessment.ResourceUsage;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.assessment.VolumeStatus;
import io.pgrunbooks.workflows.targets.Hosting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A cluster running in Kubernetes pods: the seed's {@code kubectl get pods / get pv / top pod /
 * exec df / logs} through fabric8, against the namespace of the target's {@link
 * KubernetesPlacement}.
 */
@Component
public class KubernetesClusterHosting implements ClusterHosting {
  private static final Logger log = LoggerFactory.getLogger(KubernetesClusterHosting.class);

  static final String METRICS_SOURCE = "metrics.k8s.io";
  static final String DEFAULT_VOLUME_MATCH = "postgres";

  /** kubectl's annotation naming the container that {@code kubectl logs} reads by default. */
  static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

  /** Bound on {@code df} inside the pod; it answers in milliseconds unless the mount hangs. */
  static final Duration EXEC_TIMEOUT = Duration.ofSeconds(15);

  /**
   * {@code df -P} data line: file system, 1024-blocks, Used, Available, Capacity, mount point. The
   * file system and the mount point may contain blanks, so the four numbers anchor the match.
   */
  private static final Pattern DF_LINE =
      Pattern.compile("^(.*?)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)\\s+(.*)$");

  /** Exec streams are read on virtual threads so that a hanging pod cannot pin a pool thread. */
  private static final ExecutorService STREAM_READERS =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("kubectl-exec-", 0).factory());

  private final Supplier<KubernetesClient> kubernetes;

  public KubernetesClusterHosting(Supplier<KubernetesClient> kubernetes) {
    this.kubernetes = kubernetes;
  }

  @Override
  public Hosting hosting() {
    return Hosting.KUBERNETES;
  }

  // ---------------------------------------------------------------- pods

  @Override
  public List<PodStatus> databasePods(TargetConfig target) {
    KubernetesPlacement placement = placement(target);
    return listDatabasePods(placement).stream()
        .map(KubernetesClusterHosting::podStatus)
        .sorted(Comparator.comparing(PodStatus::name))
        .toList();
  }

  private List<Pod> listDatabasePods(KubernetesPlacement placement) {
    String selector = required(placement.podSelector(), "kubernetes.podSelector");
    // The selector goes to the API server verbatim, as kubectl -l sends it, so set-based
    // selectors (role in (primary,replica)) work too.
    return kubernetes
        .get()
        .pods()
        .inNamespace(placement.namespace())
        .withLabelSelector(selector)
        .list()
        .getItems();
  }

  static PodStatus podStatus(Pod pod) {
    var status = pod.getStatus();
    List<ContainerStatus> containers =
        status == null || status.getContainerStatuses() == null
            ? List.of()
            : status.getContainerStatuses();
    // A pod without container statuses has not started a container yet: not ready.
    boolean ready =
        !containers.isEmpty()
            && containers.stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()));
    int restarts =
        containers.stream().mapToInt(c -> Objects.requireNonNullElse(c.getRestartCount(), 0)).sum();
    return new PodStatus(
        pod.getMetadata().getName(),
        status == null ? null : status.getPhase(),
        ready,
        restarts,
        reason(pod, containers),
        pod.getSpec() == null ? null : pod.getSpec().getNodeName());
  }

  /**
   * What kubectl shows in STATUS when it is not the phase: a waiting container (CrashLoopBackOff,
   * ImagePullBackOff), a terminated one (OOMKilled, Error), a failing init container, the pod's
   * own reason (Evicted), or Terminating while it is being deleted.
   */
  private static String reason(Pod pod, List<ContainerStatus> containers) {
    Optional<String> waiting =
        containers.stream()
            .map(ContainerStatus::getState)
            .filter(s -> s != null && s.getWaiting() != null)
            .map(s -> s.getWaiting().getReason())
            .filter(Objects::nonNull)
            .findFirst();
    if (waiting.isPresent()) {
      return waiting.get();
    }
    Optional<String> terminated =
        containers.stream()
            .map(ContainerStatus::getState)
            .filter(s -> s != null && s.getTerminated() != null)
            .map(s -> s.getTerminated().getReason())
            .filter(Objects::nonNull)
            .findFirst();
    if (terminated.isPresent()) {
      return terminated.get();
    }
    var status = pod.getStatus();
    if (status != null && status.getInitContainerStatuses() != null) {
      // Init containers that completed are normal; only one stuck or failed explains the pod.
      for (ContainerStatus init : status.getInitContainerStatuses()) {
        ContainerState state = init.getState();
        if (state != null && state.getWaiting() != null && state.getWaiting().getReason() != null
            && !"PodInitializing".equals(state.getWaiting().getReason())) {
          return "Init:" + state.getWaiting().getReason();
        }
        if (state != null && state.getTerminated() != null
            && Objects.requireNonNullElse(state.getTerminated().getExitCode(), 0) != 0) {
          return "Init:" + Objects.requireNonNullElse(state.getTerminated().getReason(), "Error");
        }
      }
    }
    if (status != null && status.getReason() != null) {
      return status.getReason();
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return "Terminating";
    }
    return null;
  }

  // ---------------------------------------------------------------- volumes

  @Override
  public List<VolumeStatus> persistentVolumes(TargetConfig target) {
    KubernetesPlacement placement = placement(target);
    String namespace = placement.namespace();
    String match =
        placement.volumeMatch() == null || placement.volumeMatch().isBlank()
            ? DEFAULT_VOLUME_MATCH
            : placement.volumeMatch();

    // The claims the database pods mount identify their volumes whatever they are named; the
    // name match keeps the seed's `kubectl get pv | grep postgres` for volumes of stopped pods.
    Set<String> claims = new HashSet<>();
    if (placement.podSelector() != null && !placement.podSelector().isBlank()) {
      for (Pod pod : listDatabasePods(placement)) {
        if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
          continue;
        }
        for (Volume volume : pod.getSpec().getVolumes()) {
          if (volume.getPersistentVolumeClaim() != null) {
            claims.add(volume.getPersistentVolumeClaim().getClaimName());
          }
        }
      }
    }

    List<PersistentVolume> volumes;
    try {
      volumes = kubernetes.get().persistentVolumes().list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        // Persistent volumes are cluster-scoped: a namespace-only role cannot list them.
        throw new IllegalStateException(
            "listing persistent volumes is forbidden; the worker's service account needs"
                + " cluster-wide get/list on persistentvolumes: "
                + e.getMessage(),
            e);
      }
      throw e;
    }
    return volumes.stream()
        .filter(pv -> belongsToDatabase(pv, namespace, claims, match))
        .map(KubernetesClusterHosting::volumeStatus)
        .sorted(Comparator.comparing(VolumeStatus::name))
        .toList();
  }

  private static boolean belongsToDatabase(
      PersistentVolume pv, String namespace, Set<String> claims, String match) {
    ObjectReference claim = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
    if (claim == null || !namespace.equals(claim.getNamespace())) {
      return false;
    }
    String claimName = Objects.requireNonNullElse(claim.getName(), "");
    return claims.contains(claimName)
        || pv.getMetadata().getName().contains(match)
        || claimName.contains(match);
  }

  private static VolumeStatus volumeStatus(PersistentVolume pv) {
    var spec = pv.getSpec();
    Map<String, Quantity> capacity = spec.getCapacity();
    Quantity storage = capacity == null ? null : capacity.get("storage");
    ObjectReference claim = spec.getClaimRef();
    return new VolumeStatus(
        pv.getMetadata().getName(),
        pv.getStatus() == null ? null : pv.getStatus().getPhase(),
        storage == null ? null : storage.toString(),
        claim == null ? null : claim.getNamespace() + "/" + claim.getName(),
        spec.getStorageClassName());
  }

  // ---------------------------------------------------------------- memory

  @Override
  public ResourceUsage memoryUsage(TargetConfig target) {
    KubernetesPlacement placement = placement(target);
    String namespace = placement.namespace();
    String podName = required(placement.primaryPod(), "kubernetes.primaryPod");
    KubernetesClient client = kubernetes.get();

    PodMetrics metrics;
    try {
      metrics = client.top().pods().metrics(namespace, podName);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 && answeredByMetricsApi(e)) {
        // The API exists but knows no such pod: it is gone or not yet scraped, which is news.
        throw new IllegalStateException(
            "metrics.k8s.io has no metrics for pod " + namespace + "/" + podName
                + " (not running, or not scraped yet)",
            e);
      }
      if (e.getCode() == 404) {
        // metrics-server is an add-on; without it `kubectl top` has nothing to show either.
        log.debug("no pod metrics for {}/{}: {}", namespace, podName, e.getMessage());
        throw new ClusterHosting.NotApplicable(
            "the cluster offers no metrics API (metrics.k8s.io); pod resource use unknown");
      }
      throw e;
    }

    long memoryBytes = 0;
    BigDecimal cores = BigDecimal.ZERO;
    for (ContainerMetrics container : Objects.requireNonNullElse(metrics.getContainers(),
        List.<ContainerMetrics>of())) {
      Map<String, Quantity> usage = Objects.requireNonNullElse(container.getUsage(), Map.of());
      if (usage.get("memory") != null) {
        memoryBytes += Quantity.getAmountInBytes(usage.get("memory")).longValue();
      }
      if (usage.get("cpu") != null) {
        cores = cores.add(usage.get("cpu").getNumericalAmount());
      }
    }
    long millicores = cores.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValue();

    Long limit = memoryLimit(client, namespace, podName);
    Double percent = limit == null || limit == 0 ? null : round1(100.0 * memoryBytes / limit);
    return new ResourceUsage(METRICS_SOURCE, limit, memoryBytes, percent, millicores);
  }

  /**
   * Whether a 404 is the metrics API's own NotFound for the pod (a Status naming its group) rather
   * than the API server's plain "404 page not found" for an unregistered group.
   */
  private static boolean answeredByMetricsApi(KubernetesClientException e) {
    return e.getStatus() != null
        && e.getStatus().getDetails() != null
        && METRICS_SOURCE.equals(e.getStatus().getDetails().getGroup());
  }

  /**
   * The pod's memory limit: the sum of its containers' limits, or null when a container has none
   * (the pod is then bounded only by the node, and a percentage would mislead).
   */
  private static Long memoryLimit(KubernetesClient client, String namespace, String podName) {
    Pod pod;
    try {
      pod = client.pods().inNamespace(namespace).withName(podName).get();
    } catch (KubernetesClientException e) {
      log.warn(
          "cannot read pod {}/{} for its memory limit: {}", namespace, podName, e.getMessage());
      return null;
    }
    if (pod == null || pod.getSpec() == null || pod.getSpec().getContainers() == null
        || pod.getSpec().getContainers().isEmpty()) {
      return null;
    }
    long total = 0;
    for (Container container : pod.getSpec().getContainers()) {
      Quantity memory =
          container.getResources() == null || container.getResources().getLimits() == null
              ? null
              : container.getResources().getLimits().get("memory");
      if (memory == null) {
        return null;
      }
      total += Quantity.getAmountInBytes(memory).longValue();
    }
    return total;
  }

  // ---------------------------------------------------------------- disk

  @Override
  public StorageUsage diskUsage(TargetConfig target) {
    KubernetesPlacement placement = placement(target);
    String namespace = placement.namespace();
    String podName = required(placement.primaryPod(), "kubernetes.primaryPod");
    String dataDirectory = required(placement.dataDirectory(), "kubernetes.dataDirectory");
    String where = "pod " + namespace + "/" + podName;

    PodResource pod = kubernetes.get().pods().inNamespace(namespace).withName(podName);
    ContainerResource execable =
        placement.container() == null || placement.container().isBlank()
            ? pod
            : pod.inContainer(placement.container());

    long deadline = System.nanoTime() + EXEC_TIMEOUT.toNanos();
    try (ExecWatch watch =
        execable.redirectingOutput().redirectingError().exec("df", "-Pk", dataDirectory)) {
      // Both streams are drained concurrently so that a full stderr cannot stall stdout.
      CompletableFuture<String> stdout = readFully(watch.getOutput());
      CompletableFuture<String> stderr = readFully(watch.getError());
      String output = stdout.get(remaining(deadline), TimeUnit.NANOSECONDS);
      String errors = stderr.get(remaining(deadline), TimeUnit.NANOSECONDS).strip();
      Integer exit = watch.exitCode().get(remaining(deadline), TimeUnit.NANOSECONDS);
      // exit is -1 when the status carried no code and null when the stream closed before it.
      if (exit != null && exit > 0) {
        throw new IllegalStateException(
            "df -Pk " + dataDirectory + " in " + where + " exited with " + exit
                + (errors.isEmpty() ? "" : ": " + errors));
      }
      if (output.isBlank()) {
        throw new IllegalStateException(
            "df -Pk " + dataDirectory + " in " + where + " printed nothing"
                + (errors.isEmpty() ? "" : ": " + errors));
      }
      return parseDf(dataDirectory, output);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "df -Pk " + dataDirectory + " in " + where + " did not answer within "
              + EXEC_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running df in " + where, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(
          "df -Pk " + dataDirectory + " in " + where + " failed: " + cause.getMessage(), cause);
    } catch (KubernetesClientException e) {
      throw new IllegalStateException(
          "cannot exec df in " + where + ": " + e.getMessage(), e);
    }
  }

  private static CompletableFuture<String> readFully(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        STREAM_READERS);
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  /**
   * Parses POSIX {@code df -Pk} output (header, then one line of 1024-byte blocks: total, used,
   * available, capacity, mount point).
   */
  static StorageUsage parseDf(String path, String output) {
    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    for (String line : lines) {
      if (line.startsWith("Filesystem")) {
        continue;
      }
      Matcher m = DF_LINE.matcher(line.strip());
      if (m.matches()) {
        long total = Long.parseLong(m.group(2)) * 1024;
        long used = Long.parseLong(m.group(3)) * 1024;
        long available = Long.parseLong(m.group(4)) * 1024;
        // df's Use%: reserved blocks count as unavailable, so used + available < total.
        double percent = used + available == 0 ? 0 : round1(100.0 * used / (used + available));
        return new StorageUsage(path, total, used, available, percent);
      }
    }
    throw new IllegalArgumentException("unexpected df -Pk output for " + path + ": " + output);
  }

  // ---------------------------------------------------------------- logs

  /**
   * {@code kubectl logs --tail --since} of every pod of each named deployment. A name may be
   * {@code namespace/name} for a deployment outside the database's namespace.
   */
  @Override
  public List<LogFinding> applicationLogErrors(
      TargetConfig target, int tailLines, int sinceSeconds, Runnable progress) {
    KubernetesPlacement placement = placement(target);
    List<LogFinding> findings = new ArrayList<>();
    for (String deployment : target.applicationDeployments()) {
      LogFinding finding;
      try {
        finding = scanDeployment(placement.namespace(), deployment, tailLines, sinceSeconds);
      } catch (RuntimeException e) {
        // One unreadable deployment must not hide what the others show.
        log.warn("cannot read logs of deployment {}: {}", deployment, e.toString());
        finding = new LogFinding(deployment, 0, List.of(), message(e));
      }
      findings.add(finding);
      progress.run();
    }
    return findings;
  }

  private LogFinding scanDeployment(
      String defaultNamespace, String deployment, int tailLines, int sinceSeconds) {
    int slash = deployment.indexOf('/');
    String namespace = slash < 0 ? defaultNamespace : deployment.substring(0, slash);
    String name = slash < 0 ? deployment : deployment.substring(slash + 1);
    KubernetesClient client = kubernetes.get();

    Deployment found = client.apps().deployments().inNamespace(namespace).withName(name).get();
    if (found == null) {
      return new LogFinding(
          deployment, 0, List.of(), "deployment " + name + " not found in " + namespace);
    }
    LabelSelector selector = found.getSpec() == null ? null : found.getSpec().getSelector();
    if (selector == null) {
      return new LogFinding(
          deployment, 0, List.of(), "deployment " + name + " in " + namespace + " has no selector");
    }
    List<Pod> pods =
        client.pods().inNamespace(namespace).withLabelSelector(selector).list().getItems().stream()
            .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
            .toList();
    if (pods.isEmpty()) {
      return new LogFinding(
          deployment, 0, List.of(), "deployment " + name + " in " + namespace + " has no pods");
    }

    StringBuilder logs = new StringBuilder();
    List<String> failures = new ArrayList<>();
    int lines = 0;
    for (Pod pod : pods) {
      String podName = pod.getMetadata().getName();
      try {
        String text = podLog(client, namespace, pod, tailLines, sinceSeconds);
        if (text != null && !text.isEmpty()) {
          lines += (int) text.lines().count();
          logs.append(text);
          if (!text.endsWith("\n")) {
            logs.append('\n');
          }
        }
      } catch (RuntimeException e) {
        // A pod whose container has not started has no log; the other replicas still do.
        log.debug("cannot read log of pod {}/{}: {}", namespace, podName, e.toString());
        failures.add(podName + ": " + message(e));
      }
    }
    String error =
        failures.isEmpty()
            ? null
            : "logs of " + failures.size() + " of " + pods.size() + " pods unreadable: "
                + String.join("; ", failures);
    return new LogFinding(deployment, lines, LogPatterns.databaseTrouble(logs.toString()), error);
  }

  private static String podLog(
      KubernetesClient client, String namespace, Pod pod, int tailLines, int sinceSeconds) {
    PodResource resource =
        client.pods().inNamespace(namespace).withName(pod.getMetadata().getName());
    String container = logContainer(pod);
    // The API server refuses a log request without a container for multi-container pods; pick the
    // one kubectl would.
    ContainerResource loggable = container == null ? resource : resource.inContainer(container);
    return loggable.sinceSeconds(sinceSeconds).tailingLines(tailLines).getLog();
  }

  /** kubectl's default container: the annotated one, else the first; null when only one. */
  static String logContainer(Pod pod) {
    List<Container> containers =
        pod.getSpec() == null || pod.getSpec().getContainers() == null
            ? List.of()
            : pod.getSpec().getContainers();
    if (containers.size() <= 1) {
      return null;
    }
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String annotated = annotations == null ? null : annotations.get(DEFAULT_CONTAINER_ANNOTATION);
    if (annotated != null && containers.stream().anyMatch(c -> annotated.equals(c.getName()))) {
      return annotated;
    }
    return containers.getFirst().getName();
  }

  // ---------------------------------------------------------------- helpers

  private static KubernetesPlacement placement(TargetConfig target) {
    KubernetesPlacement placement = target.kubernetes();
    if (placement == null) {
      throw new IllegalArgumentException(
          "target has hosting kubernetes but no kubernetes placement");
    }
    required(placement.namespace(), "kubernetes.namespace");
    return placement;
  }

  private static String required(String value, String property) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("target has no " + property);
    }
    return value;
  }

  private static String message(Throwable e) {
    // fabric8's own message repeats the request URL; the API server's Status says it plainly.
    if (e instanceof KubernetesClientException k
        && k.getStatus() != null
        && k.getStatus().getMessage() != null
        && !k.getStatus().getMessage().isBlank()) {
      return k.getStatus().getMessage();
    }
    return Stream.iterate(e, Objects::nonNull, Throwable::getCause)
        .map(Throwable::getMessage)
        .filter(m -> m != null && !m.isBlank())
        .findFirst()
        .orElse(e.getClass().getSimpleName());
  }

  private static double round1(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
