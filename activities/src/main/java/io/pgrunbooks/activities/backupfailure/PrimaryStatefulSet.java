package io.pgrunbooks.activities.backupfailure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pgrunbooks.activities.kubernetes.ApplicationDeployments;
import io.pgrunbooks.activities.kubernetes.KubernetesFailures;
import io.pgrunbooks.activities.kubernetes.KubernetesNames;
import io.pgrunbooks.activities.postgres.ConnectionTarget;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.workflows.backupfailure.DatabaseService;
import io.pgrunbooks.workflows.backupfailure.DatabaseService.DatabasePod;
import io.pgrunbooks.workflows.backupfailure.DatabaseService.ServiceEndpoints;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Scenario 1 on kubernetes through fabric8: the seed's {@code kubectl get service postgres-primary},
 * {@code kubectl get pods -l app=postgres-primary} and {@code kubectl rollout restart statefulset
 * postgres-primary}, with the rollout waited for as {@code kubectl rollout status} does.
 *
 * <p>The StatefulSet is the primary pod's without its ordinal (postgres-primary-0 belongs to
 * postgres-primary), which holds for every StatefulSet pod and still works while no pod exists. The
 * Service is the one the primary endpoint's host names ({@code postgres-primary.link-services.svc}),
 * else each Service of the namespace whose selector chooses the StatefulSet's pods (a worker outside the
 * cluster reaches the database through a port-forward or a load balancer, whose host says nothing).
 * Every name is checked before it reaches the API server.
 */
final class PrimaryStatefulSet {
  /** The annotation this service adds beside kubectl's: which run restarted it, so a retry does not restart again. */
  static final String RESTART_TOKEN = "pgrunbooks.io/restart-token";
  static final Duration ROLLOUT_TIMEOUT = Duration.ofMinutes(15);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<KubernetesClient> kubernetes;
  private final Duration rolloutTimeout;
  private final Duration poll;

  PrimaryStatefulSet(Supplier<KubernetesClient> kubernetes) {
    this(kubernetes, ROLLOUT_TIMEOUT, Duration.ofSeconds(2));
  }

  PrimaryStatefulSet(Supplier<KubernetesClient> kubernetes, Duration rolloutTimeout, Duration poll) {
    this.kubernetes = kubernetes;
    this.rolloutTimeout = rolloutTimeout;
    this.poll = poll;
  }

  /** The StatefulSet, its Services with their endpoints, and its pods; what cannot be read is a problem, not a failure. */
  DatabaseService read(TargetConfig target) {
    KubernetesPlacement p = target.kubernetes();
    String namespace = p == null ? null : p.namespace();
    String name = null;
    List<String> problems = new ArrayList<>();
    try {
      namespace = namespace(target);
      name = statefulSetOf(target);
      return read(target, namespace, name, problems);
    } catch (ApplicationFailure invalid) {
      problems.add(invalid.getOriginalMessage());
    } catch (KubernetesClientException e) {
      problems.add("the Kubernetes API could not be read (" + e.getCode() + "): " + e.getMessage());
    }
    return new DatabaseService(namespace, name, false, null, null, null, List.of(), List.of(), problems);
  }

  private DatabaseService read(TargetConfig target, String namespace, String name, List<String> problems) {
    KubernetesClient k8s = kubernetes.get();
    StatefulSet sts = k8s.apps().statefulSets().inNamespace(namespace).withName(name).get();
    List<Pod> pods;
    if (sts != null) {
      pods = k8s.pods().inNamespace(namespace).withLabelSelector(sts.getSpec().getSelector()).list().getItems();
    } else {
      problems.add("statefulset " + name + " does not exist in namespace " + namespace
          + " (the primary pod " + target.kubernetes().primaryPod() + " names it): nothing here to restart");
      pods = target.kubernetes().podSelector() == null ? List.of()
          : k8s.pods().inNamespace(namespace).withLabelSelector(target.kubernetes().podSelector()).list().getItems();
    }
    List<ServiceEndpoints> services = services(k8s, target, namespace, sts, problems);
    if (sts != null && pods.isEmpty()) {
      problems.add("statefulset " + name + " has no pod");
    }
    var status = sts == null ? null : sts.getStatus();
    return new DatabaseService(namespace, name, sts != null, sts == null ? null : replicas(sts),
        status == null ? null : status.getReadyReplicas(), status == null ? null : status.getUpdatedReplicas(), services,
        pods.stream().map(PrimaryStatefulSet::pod).sorted(Comparator.comparing(DatabasePod::name)).toList(), problems);
  }

  private static List<ServiceEndpoints> services(
      KubernetesClient k8s, TargetConfig target, String namespace, StatefulSet sts, List<String> problems) {
    String named = serviceFromHost(target, namespace);
    List<String> names;
    if (named != null) {
      names = List.of(named);
    } else {
      Map<String, String> labels = sts == null || sts.getSpec().getTemplate().getMetadata() == null ? null
          : sts.getSpec().getTemplate().getMetadata().getLabels();
      names = labels == null ? List.of() : k8s.services().inNamespace(namespace).list().getItems().stream()
          .filter(s -> selects(s, labels)).map(s -> s.getMetadata().getName()).sorted().toList();
      if (names.isEmpty()) {
        problems.add("no service in namespace " + namespace + " selects the pods of statefulset "
            + (sts == null ? "(none)" : sts.getMetadata().getName()));
      }
    }
    List<ServiceEndpoints> services = new ArrayList<>();
    for (String name : names) {
      Service service = k8s.services().inNamespace(namespace).withName(name).get();
      if (service == null) {
        services.add(new ServiceEndpoints(name, false, List.of(), List.of()));
        problems.add("service " + name + ", which the primary endpoint names, does not exist in namespace " + namespace);
        continue;
      }
      List<String> ready = new ArrayList<>();
      List<String> notReady = new ArrayList<>();
      for (EndpointSlice slice : k8s.discovery().v1().endpointSlices().inNamespace(namespace)
          .withLabel("kubernetes.io/service-name", name).list().getItems()) {
        for (Endpoint endpoint : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
          // A missing ready condition means ready (the API's own rule).
          boolean isReady = endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
          String pod = endpoint.getTargetRef() == null ? "" : " (" + endpoint.getTargetRef().getName() + ")";
          endpoint.getAddresses().forEach(address -> (isReady ? ready : notReady).add(address + pod));
        }
      }
      services.add(new ServiceEndpoints(name, true, ready, notReady));
      if (ready.isEmpty() && !"ExternalName".equals(service.getSpec().getType())) {
        problems.add("service " + name + " has no ready endpoint: connections to it are refused or time out");
      }
    }
    return services;
  }

  /** {@code <service>.<namespace>} or {@code <service>.<namespace>.svc[.cluster.local]} of the primary endpoint; else null. */
  static String serviceFromHost(TargetConfig target, String namespace) {
    String host = ConnectionTarget.of(target.primary(), "postgres", target.primary().user()).host();
    String[] parts = host == null ? new String[0] : host.split("\\.");
    if (parts.length >= 2 && parts[1].equals(namespace) && (parts.length == 2 || parts[2].equals("svc"))) {
      return KubernetesNames.service(parts[0], "the service in the primary endpoint's host " + host);
    }
    return null;
  }

  private static boolean selects(Service service, Map<String, String> podLabels) {
    Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
    return selector != null && !selector.isEmpty() && selector.entrySet().stream()
        .allMatch(e -> e.getValue().equals(podLabels.get(e.getKey())));
  }

  static DatabasePod pod(Pod pod) {
    var status = pod.getStatus();
    List<ContainerStatus> containers = status == null || status.getContainerStatuses() == null ? List.of() : status.getContainerStatuses();
    boolean ready = !containers.isEmpty() && containers.stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()));
    int restarts = containers.stream().mapToInt(c -> Objects.requireNonNullElse(c.getRestartCount(), 0)).sum();
    String reason = containers.stream().map(ContainerStatus::getState).filter(Objects::nonNull)
        .map(s -> s.getWaiting() != null ? s.getWaiting().getReason() : s.getTerminated() != null ? s.getTerminated().getReason() : null)
        .filter(Objects::nonNull).findFirst()
        .orElse(status != null && status.getReason() != null ? status.getReason()
            : pod.getMetadata().getDeletionTimestamp() != null ? "Terminating" : null);
    String last = containers.stream()
        .filter(c -> c.getLastState() != null && c.getLastState().getTerminated() != null)
        .map(c -> terminated(c.getLastState().getTerminated())).findFirst().orElse(null);
    return new DatabasePod(pod.getMetadata().getName(), status == null ? null : status.getPhase(), ready, restarts, reason, last);
  }

  private static String terminated(ContainerStateTerminated t) {
    return Objects.requireNonNullElse(t.getReason(), "?") + ", exit " + t.getExitCode()
        + (t.getFinishedAt() == null ? "" : " at " + t.getFinishedAt());
  }

  /**
   * {@code kubectl rollout restart statefulset}: the pod template annotated {@code
   * kubectl.kubernetes.io/restartedAt} (as kubectl does) and {@value #RESTART_TOKEN} with {@code token},
   * in one merge patch; a StatefulSet that already carries the token was patched by an earlier attempt
   * of this step and is not patched again. Then waits until the rollout is done ({@link #waitingFor}),
   * telling {@code progress} what it waits for; a rollout not done in {@link #ROLLOUT_TIMEOUT} fails for good.
   */
  String rolloutRestart(TargetConfig target, String restartedAt, String token, Consumer<String> progress) {
    String namespace = namespace(target);
    String name = statefulSetOf(target);
    String where = "statefulset " + namespace + "/" + name;
    StatefulSet sts = KubernetesFailures.call(() -> kubernetes.get().apps().statefulSets().inNamespace(namespace).withName(name).get());
    if (sts == null) {
      throw ApplicationFailure.newNonRetryableFailure(where + " does not exist: nothing was restarted", "StatefulSetNotFound");
    }
    if (sts.getSpec().getUpdateStrategy() != null && "OnDelete".equals(sts.getSpec().getUpdateStrategy().getType())) {
      throw ApplicationFailure.newNonRetryableFailure(where + " has updateStrategy OnDelete: a rollout restart would replace no pod;"
          + " delete the pod instead (the RecoverCrashedPod runbook does it under its own gate); nothing was restarted", "NotApplicable");
    }
    var template = sts.getSpec().getTemplate().getMetadata();
    Map<String, String> annotations = template == null || template.getAnnotations() == null ? Map.of() : template.getAnnotations();
    String action;
    long generation;
    if (token.equals(annotations.get(RESTART_TOKEN))) {
      action = "nothing patched: " + where + " carries this run's restart token already (an earlier attempt of this step"
          + " restarted it at " + annotations.get(ApplicationDeployments.RESTARTED_AT) + ")";
      generation = generation(sts);
    } else {
      String patch = patch(Map.of(ApplicationDeployments.RESTARTED_AT, restartedAt, RESTART_TOKEN, token));
      StatefulSet patched = KubernetesFailures.call(() -> kubernetes.get().apps().statefulSets().inNamespace(namespace).withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch));
      generation = generation(patched);
      action = "kubectl rollout restart " + where + " (pod template annotated " + ApplicationDeployments.RESTARTED_AT + "="
          + restartedAt + ")";
    }
    long deadline = System.nanoTime() + rolloutTimeout.toNanos();
    while (true) {
      StatefulSet now = KubernetesFailures.call(() -> kubernetes.get().apps().statefulSets().inNamespace(namespace).withName(name).get());
      if (now == null) {
        throw ApplicationFailure.newNonRetryableFailure(where + " was deleted during its rollout restart", "StatefulSetNotFound");
      }
      String waiting = waitingFor(now, generation);
      if (waiting == null) {
        return action + "; rolled out: " + replicas(now) + " of " + replicas(now) + " pod(s) updated and ready";
      }
      if (System.nanoTime() > deadline) {
        DatabaseService state = read(target);
        throw ApplicationFailure.newNonRetryableFailure("the rollout restart of " + where + " did not finish within "
            + (rolloutTimeout.toSeconds() < 60 ? rolloutTimeout.toMillis() + " ms" : rolloutTimeout.toMinutes() + " minutes") + ": "
            + waiting + "; " + state.describe() + " (the pods' events and logs say why: the RecoverCrashedPod runbook reads them)",
            "RolloutNotFinished");
      }
      progress.accept(where + ": " + waiting);
      sleep(poll);
    }
  }

  /**
   * What {@code kubectl rollout status statefulset} waits for, or null when the rollout is done: the
   * controller has seen the patched template ({@code observedGeneration}), every pod that should be is
   * at the new template ({@code updatedReplicas}, less a rolling update's partition) and ready, and,
   * without a partition, the current revision is the update revision.
   */
  static String waitingFor(StatefulSet sts, long generation) {
    var status = sts.getStatus();
    long observed = status == null || status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
    if (observed == 0 || observed < generation) {
      return "waiting for the controller to see the new template (generation " + generation + ", observed " + observed + ")";
    }
    int replicas = replicas(sts);
    int updated = status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas();
    int ready = status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
    var rolling = sts.getSpec().getUpdateStrategy() == null ? null : sts.getSpec().getUpdateStrategy().getRollingUpdate();
    int partition = rolling == null || rolling.getPartition() == null ? 0 : rolling.getPartition();
    if (updated < replicas - partition) {
      return "waiting for pods at the new template: " + updated + " of " + (replicas - partition) + " updated";
    }
    if (ready < replicas) {
      return "waiting for pods to be ready: " + ready + " of " + replicas + " ready";
    }
    if (partition == 0 && !Objects.equals(status.getUpdateRevision(), status.getCurrentRevision())) {
      return "waiting for the rolling update to finish: current revision " + status.getCurrentRevision() + ", update revision "
          + status.getUpdateRevision();
    }
    return null;
  }

  private static int replicas(StatefulSet sts) {
    return sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas(); // Kubernetes' default when unset
  }

  private static long generation(StatefulSet sts) {
    return sts.getMetadata().getGeneration() == null ? 0 : sts.getMetadata().getGeneration();
  }

  private static String patch(Map<String, String> annotations) {
    try {
      return JSON.writeValueAsString(Map.of("spec", Map.of("template", Map.of("metadata", Map.of("annotations", annotations)))));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String namespace(TargetConfig target) {
    KubernetesPlacement p = target.kubernetes();
    return KubernetesNames.label(p == null ? null : p.namespace(), "kubernetes.namespace");
  }

  /** The primary pod's StatefulSet: its name without the ordinal. */
  static String statefulSetOf(TargetConfig target) {
    String pod = target.kubernetes() == null ? null : target.kubernetes().primaryPod();
    if (pod == null || !pod.matches(".+-\\d+")) {
      throw ApplicationFailure.newNonRetryableFailure("kubernetes.primary-pod '" + pod + "' is not a StatefulSet pod"
          + " (<statefulset>-<ordinal>): the StatefulSet to restart is not known", "InvalidTarget");
    }
    return KubernetesNames.label(pod.replaceFirst("-\\d+$", ""), "the StatefulSet of kubernetes.primary-pod");
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the rollout", e);
    }
  }
}
