package io.pgrunbooks.activities.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.workflows.assessment.PodStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** The database's pods and their state, as {@code kubectl get pods -l <selector> -o wide}. */
final class DatabasePods {
  private final Supplier<KubernetesClient> kubernetes;

  DatabasePods(Supplier<KubernetesClient> kubernetes) {
    this.kubernetes = kubernetes;
  }

  /** The status of each database pod, by name. */
  List<PodStatus> statuses(KubernetesPlacement placement) {
    return list(placement).stream()
        .map(DatabasePods::status)
        .sorted(Comparator.comparing(PodStatus::name))
        .toList();
  }

  /** The pods the placement's selector chooses. */
  List<Pod> list(KubernetesPlacement placement) {
    String selector = Placements.required(placement.podSelector(), "kubernetes.podSelector");
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

  static PodStatus status(Pod pod) {
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
    Optional<String> container =
        firstReason(containers, s -> s.getWaiting() == null ? null : s.getWaiting().getReason())
            .or(
                () ->
                    firstReason(
                        containers,
                        s -> s.getTerminated() == null ? null : s.getTerminated().getReason()));
    if (container.isPresent()) {
      return container.get();
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

  /** The first reason {@code reason} finds in the containers' current states. */
  private static Optional<String> firstReason(
      List<ContainerStatus> containers, Function<ContainerState, String> reason) {
    return containers.stream()
        .map(ContainerStatus::getState)
        .filter(Objects::nonNull)
        .map(reason)
        .filter(Objects::nonNull)
        .findFirst();
  }
}
