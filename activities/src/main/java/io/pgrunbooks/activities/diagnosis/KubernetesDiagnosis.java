package io.pgrunbooks.activities.diagnosis;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.hosting.ClusterHosting.NotApplicable;
import io.pgrunbooks.activities.kubernetes.Placements;
import io.pgrunbooks.activities.kubernetes.PodLogs;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.diagnosis.ContainerDetails;
import io.pgrunbooks.workflows.diagnosis.ContainerResources;
import io.pgrunbooks.workflows.diagnosis.PodDetails;
import io.pgrunbooks.workflows.diagnosis.PodEvent;
import io.pgrunbooks.workflows.diagnosis.ServerStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The seed's kubectl steps through fabric8: {@code describe pod} (status, conditions, containers
 * with restart counts and last termination), {@code get events} about the database pods, {@code
 * logs} of the primary's PostgreSQL container (current and {@code --previous}), requests and limits.
 */
final class KubernetesDiagnosis implements DiagnosisHosting {
  private final Supplier<KubernetesClient> kubernetes;

  KubernetesDiagnosis(Supplier<KubernetesClient> kubernetes) {
    this.kubernetes = kubernetes;
  }

  @Override
  public List<PodDetails> describePods(TargetConfig target) {
    return pods(placement(target)).stream().map(KubernetesDiagnosis::describe).toList();
  }

  /**
   * Events of the namespace about the database pods, newest first. The seed greps the whole
   * namespace's events for "postgres", which also catches unrelated objects with the word in their
   * name and misses pods named otherwise; here the pods are the selector's.
   */
  @Override
  public List<PodEvent> recentEvents(TargetConfig target, int newest) {
    KubernetesPlacement placement = placement(target);
    Set<String> names = pods(placement).stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    return kubernetes.get().v1().events().inNamespace(placement.namespace()).list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null && "Pod".equals(e.getInvolvedObject().getKind())
            && names.contains(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(KubernetesDiagnosis::lastSeen, Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
        .limit(newest)
        .map(e -> new PodEvent(lastSeen(e), e.getType(), e.getReason(), e.getInvolvedObject().getName(), e.getMessage(),
            Objects.requireNonNullElse(e.getCount(), 1)))
        .toList();
  }

  /** When it last happened: lastTimestamp, else eventTime (events.k8s.io), else creation. */
  private static String lastSeen(Event e) {
    if (e.getLastTimestamp() != null) {
      return e.getLastTimestamp();
    }
    if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
      return e.getEventTime().getTime();
    }
    return e.getMetadata() == null ? null : e.getMetadata().getCreationTimestamp();
  }

  @Override
  public RawLog databaseLog(TargetConfig target, boolean previous) {
    KubernetesPlacement placement = placement(target);
    String podName = required(placement.primaryPod(), "kubernetes.primaryPod");
    Pod pod = kubernetes.get().pods().inNamespace(placement.namespace()).withName(podName).get();
    if (pod == null) {
      throw new IllegalArgumentException("pod " + placement.namespace() + "/" + podName + " does not exist");
    }
    String container = container(placement, pod);
    String source = podName + "/" + container + (previous ? " (previous)" : " (current)");
    if (previous) {
      boolean restarted = statuses(pod).stream()
          .anyMatch(s -> container.equals(s.getName()) && Objects.requireNonNullElse(s.getRestartCount(), 0) > 0);
      if (!restarted) {
        throw new NotApplicable("container " + source.replace(" (previous)", "") + " has not restarted: there is no previous log");
      }
      return new RawLog(source, PodLogs.read(kubernetes.get(), placement.namespace(), podName,
          new PodLogs.Request(container, true, null, LOG_TAIL_LINES)));
    }
    return new RawLog(source, PodLogs.read(kubernetes.get(), placement.namespace(), podName,
        new PodLogs.Request(container, false, LOG_SINCE_SECONDS, LOG_TAIL_LINES)));
  }

  @Override
  public List<ContainerResources> resources(TargetConfig target) {
    return pods(placement(target)).stream()
        .flatMap(pod -> pod.getSpec().getContainers().stream().map(c -> {
          ResourceRequirements r = c.getResources();
          return new ContainerResources(pod.getMetadata().getName(), c.getName(),
              quantities(r == null ? null : r.getRequests()), quantities(r == null ? null : r.getLimits()));
        }))
        .toList();
  }

  @Override
  public ServerStatus serverStatus(TargetConfig target) {
    throw new NotApplicable("kubernetes: the pod description says whether the container runs");
  }

  private List<Pod> pods(KubernetesPlacement placement) {
    return kubernetes.get().pods().inNamespace(placement.namespace())
        .withLabelSelector(required(placement.podSelector(), "kubernetes.podSelector"))
        .list().getItems().stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
  }

  static PodDetails describe(Pod pod) {
    var status = pod.getStatus();
    List<String> conditions = status == null || status.getConditions() == null
        ? List.of()
        : status.getConditions().stream().map(KubernetesDiagnosis::condition).toList();
    return new PodDetails(
        pod.getMetadata().getName(),
        status == null ? null : status.getPhase(),
        pod.getSpec() == null ? null : pod.getSpec().getNodeName(),
        status == null ? null : status.getStartTime(),
        conditions,
        statuses(pod).stream().map(KubernetesDiagnosis::container).toList());
  }

  private static String condition(PodCondition c) {
    return c.getType() + "=" + c.getStatus() + ("False".equals(c.getStatus()) && c.getReason() != null ? " (" + c.getReason() + ")" : "");
  }

  private static ContainerDetails container(ContainerStatus s) {
    ContainerState state = s.getState();
    String name = "unknown";
    String reason = null;
    if (state != null && state.getRunning() != null) {
      name = "running";
    } else if (state != null && state.getWaiting() != null) {
      name = "waiting";
      reason = state.getWaiting().getReason();
    } else if (state != null && state.getTerminated() != null) {
      name = "terminated";
      reason = state.getTerminated().getReason();
    }
    ContainerStateTerminated last = s.getLastState() == null ? null : s.getLastState().getTerminated();
    return new ContainerDetails(
        s.getName(),
        Boolean.TRUE.equals(s.getReady()),
        Objects.requireNonNullElse(s.getRestartCount(), 0),
        name,
        reason,
        last == null ? null : last.getReason(),
        last == null ? null : last.getExitCode(),
        last == null ? null : last.getFinishedAt());
  }

  private static List<ContainerStatus> statuses(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
        ? List.of()
        : pod.getStatus().getContainerStatuses();
  }

  /** The configured PostgreSQL container, else the pod's first (kubectl's default). */
  private static String container(KubernetesPlacement placement, Pod pod) {
    if (placement.container() != null && !placement.container().isBlank()) {
      return placement.container();
    }
    List<Container> containers = pod.getSpec() == null ? List.of() : pod.getSpec().getContainers();
    if (containers.isEmpty()) {
      throw new IllegalArgumentException("pod " + pod.getMetadata().getName() + " has no containers");
    }
    return containers.get(0).getName();
  }

  private static Map<String, String> quantities(Map<String, Quantity> q) {
    Map<String, String> out = new TreeMap<>();
    if (q != null) {
      q.forEach((k, v) -> out.put(k, v.toString()));
    }
    return out;
  }

  private static KubernetesPlacement placement(TargetConfig target) {
    return Placements.of(target);
  }

  private static String required(String value, String property) {
    return Placements.required(value, property);
  }
}
