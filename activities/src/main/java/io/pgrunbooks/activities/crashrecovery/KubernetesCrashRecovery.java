package io.pgrunbooks.activities.crashrecovery;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.kubernetes.KubernetesFailures;
import io.pgrunbooks.activities.kubernetes.PodLogs;
import io.pgrunbooks.activities.serverfiles.LogSettings;
import io.pgrunbooks.activities.serverfiles.PodShell;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.crashrecovery.NodeResources;
import io.pgrunbooks.workflows.crashrecovery.RestartOutcome;
import io.pgrunbooks.workflows.crashrecovery.ServerLogs;
import io.pgrunbooks.workflows.crashrecovery.ServerState;
import io.pgrunbooks.workflows.crashrecovery.VolumeState;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Scenario 1 on Kubernetes through fabric8: the seed's {@code kubectl describe pod}, {@code logs
 * --previous}, {@code logs --tail=50}, {@code get/describe pvc}, {@code describe node}, {@code
 * delete pod} and {@code exec -- du/find}. The PVC is the one the pod mounts (the StatefulSet's claim
 * template when the pod is gone), not a name in configuration.
 */
@Component
class KubernetesCrashRecovery implements CrashRecoveryHosting {
  static final int EVENTS = 10;
  private static final Duration REPLACEMENT_TIMEOUT = Duration.ofMinutes(10);

  private final Supplier<KubernetesClient> kubernetes;
  private final PodShell shell;
  private final Duration poll;

  @Autowired
  KubernetesCrashRecovery(Supplier<KubernetesClient> kubernetes) {
    this(kubernetes, Duration.ofSeconds(2));
  }

  KubernetesCrashRecovery(Supplier<KubernetesClient> kubernetes, Duration poll) {
    this.kubernetes = kubernetes;
    this.shell = new PodShell(kubernetes);
    this.poll = poll;
  }

  @Override
  public Hosting hosting() {
    return Hosting.KUBERNETES;
  }

  @Override
  public ServerState describeServer(TargetConfig target) {
    KubernetesPlacement p = placement(target);
    String where = p.namespace() + "/" + p.primaryPod();
    Pod pod = KubernetesFailures.call(() -> pod(p).get());
    List<String> events = KubernetesFailures.call(() -> events(p));
    if (pod == null) {
      return new ServerState(Hosting.KUBERNETES, where, false, false, null, null, null, List.of(), events, null, claimFromTemplate(p), null);
    }
    List<ContainerStatus> statuses = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
        ? List.of() : pod.getStatus().getContainerStatuses();
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    int restarts = statuses.stream().mapToInt(c -> Objects.requireNonNullElse(c.getRestartCount(), 0)).sum();
    return new ServerState(
        Hosting.KUBERNETES, where, "Running".equals(phase), ready(pod), pod.getMetadata().getUid(), phase, restarts,
        statuses.stream().map(KubernetesCrashRecovery::describe).toList(), events,
        pod.getSpec() == null ? null : pod.getSpec().getNodeName(), claimOf(pod, p), null);
  }

  /** "postgres: waiting CrashLoopBackOff (back-off ...); last terminated OOMKilled, exit 137 at ...". */
  static String describe(ContainerStatus c) {
    StringBuilder s = new StringBuilder(c.getName()).append(": ");
    var state = c.getState();
    if (state == null) {
      s.append("no state");
    } else if (state.getWaiting() != null) {
      s.append("waiting ").append(state.getWaiting().getReason())
          .append(state.getWaiting().getMessage() == null ? "" : " (" + state.getWaiting().getMessage() + ")");
    } else if (state.getTerminated() != null) {
      s.append(terminated("terminated", state.getTerminated()));
    } else if (state.getRunning() != null) {
      s.append("running since ").append(state.getRunning().getStartedAt()).append(Boolean.TRUE.equals(c.getReady()) ? ", ready" : ", not ready");
    }
    if (c.getLastState() != null && c.getLastState().getTerminated() != null) {
      s.append("; last ").append(terminated("terminated", c.getLastState().getTerminated()));
    }
    return s.toString();
  }

  private static String terminated(String word, ContainerStateTerminated t) {
    return word + " " + Objects.requireNonNullElse(t.getReason(), "?") + ", exit " + t.getExitCode()
        + (t.getFinishedAt() == null ? "" : " at " + t.getFinishedAt())
        + (t.getMessage() == null || t.getMessage().isBlank() ? "" : " (" + t.getMessage().strip() + ")");
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * The pod's events, newest first: {@code kubectl describe pod}'s Events section. Filtered here
   * rather than by an involvedObject field selector, which fabric8's mock does not serve; events
   * live an hour, so a namespace's list stays small.
   */
  private List<String> events(KubernetesPlacement p) {
    return kubernetes.get().v1().events().inNamespace(p.namespace()).list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null && "Pod".equals(e.getInvolvedObject().getKind())
            && p.primaryPod().equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(KubernetesCrashRecovery::when, Comparator.nullsLast(Comparator.reverseOrder())))
        .limit(EVENTS)
        .map(e -> when(e) + " " + e.getType() + " " + e.getReason()
            + (e.getCount() == null || e.getCount() < 2 ? "" : " (x" + e.getCount() + ")") + ": " + e.getMessage())
        .toList();
  }

  private static String when(Event e) {
    if (e.getLastTimestamp() != null) {
      return e.getLastTimestamp();
    }
    if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
      return e.getEventTime().getTime();
    }
    return e.getMetadata() == null ? null : e.getMetadata().getCreationTimestamp();
  }

  /** The claim the pod mounts: the one matching volumeMatch, else the first. */
  private static String claimOf(Pod pod, KubernetesPlacement p) {
    List<String> claims = pod.getSpec() == null || pod.getSpec().getVolumes() == null ? List.of()
        : pod.getSpec().getVolumes().stream().map(Volume::getPersistentVolumeClaim).filter(Objects::nonNull)
            .map(c -> c.getClaimName()).toList();
    return claims.stream().filter(c -> p.volumeMatch() != null && c.contains(p.volumeMatch())).findFirst()
        .orElse(claims.isEmpty() ? null : claims.get(0));
  }

  /** Without a pod: the StatefulSet's first claim template names the claim {@code <template>-<pod>}. */
  private String claimFromTemplate(KubernetesPlacement p) {
    String set = p.primaryPod().replaceFirst("-\\d+$", "");
    StatefulSet sts = KubernetesFailures.call(() -> kubernetes.get().apps().statefulSets().inNamespace(p.namespace()).withName(set).get());
    if (sts == null || sts.getSpec() == null || sts.getSpec().getVolumeClaimTemplates() == null
        || sts.getSpec().getVolumeClaimTemplates().isEmpty()) {
      return null;
    }
    return sts.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName() + "-" + p.primaryPod();
  }

  @Override
  public ServerLogs readServerLogs(TargetConfig target, LogSettings settings) {
    KubernetesPlacement p = placement(target);
    List<String> sources = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    String container = container(p);
    String kubectl = "kubectl logs " + p.primaryPod() + " -n " + p.namespace() + (container == null ? "" : " -c " + container);
    String previous = log(p, container, true, notes);
    if (previous != null) {
      sources.add(kubectl + " --previous --tail=" + ServerLogs.MAX_LINES);
    }
    String current = log(p, container, false, notes);
    if (current != null) {
      sources.add(kubectl + " --tail=" + ServerLogs.MAX_LINES);
    }
    List<String> fatal = new ArrayList<>(LogExcerpts.fatal(previous));
    fatal.addAll(LogExcerpts.fatal(current));
    return new ServerLogs(sources, LogExcerpts.tail(previous), LogExcerpts.tail(current), fatal, notes);
  }

  /** The container to read: the configured one, else the pod's first (kubectl's default without the annotation). */
  private String container(KubernetesPlacement p) {
    if (p.container() != null && !p.container().isBlank()) {
      return p.container();
    }
    Pod pod = KubernetesFailures.call(() -> pod(p).get());
    return pod == null || pod.getSpec() == null || pod.getSpec().getContainers().isEmpty() ? null : pod.getSpec().getContainers().get(0).getName();
  }

  private String log(KubernetesPlacement p, String container, boolean previous, List<String> notes) {
    try {
      // One GET, without fabric8's wait for the pod to become ready: a crashed pod never does (PodLogs).
      return PodLogs.read(kubernetes.get(), p.namespace(), p.primaryPod(),
          new PodLogs.Request(container, previous, null, ServerLogs.MAX_LINES));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 401 || e.getCode() == 403) {
        throw ApplicationFailure.newNonRetryableFailure("the worker's service account may not read pod logs: " + e.getMessage(), "KubernetesForbidden");
      }
      notes.add((previous ? "no previous container log" : "no current container log") + " (" + e.getCode() + "): "
          + (previous ? "the container has not restarted, or its log is gone" : "the container has not started"));
      return null;
    }
  }

  @Override
  public VolumeState describeClaim(TargetConfig target, String claim) {
    KubernetesPlacement p = placement(target);
    if (claim == null) {
      return new VolumeState(null, "absent", null, null, null, List.of(), null, false,
          List.of("no PVC found: the pod mounts none and the StatefulSet has no claim template"));
    }
    PersistentVolumeClaim pvc = KubernetesFailures.call(
        () -> kubernetes.get().persistentVolumeClaims().inNamespace(p.namespace()).withName(claim).get());
    if (pvc == null) {
      return new VolumeState(claim, "absent", null, null, null, List.of(), null, false,
          List.of("PVC " + p.namespace() + "/" + claim + " does not exist: the pod cannot start without its volume"));
    }
    var status = pvc.getStatus();
    String capacity = status == null || status.getCapacity() == null || status.getCapacity().get("storage") == null
        ? null : status.getCapacity().get("storage").toString();
    String requested = pvc.getSpec().getResources() == null || pvc.getSpec().getResources().getRequests() == null
        || pvc.getSpec().getResources().getRequests().get("storage") == null
        ? null : pvc.getSpec().getResources().getRequests().get("storage").toString();
    List<String> conditions = status == null || status.getConditions() == null ? List.of()
        : status.getConditions().stream().map(c -> c.getType() + "=" + c.getStatus()
            + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")")).toList();
    List<String> notes = new ArrayList<>();
    String phase = status == null ? null : status.getPhase();
    if (!"Bound".equals(phase)) {
      notes.add("PVC " + claim + " is " + phase + ", not Bound: the pod waits for its volume");
    }
    return new VolumeState(claim, phase, capacity, requested, pvc.getSpec().getStorageClassName(), conditions, null, false, notes);
  }

  @Override
  public NodeResources describeNode(TargetConfig target, String nodeName) {
    Node node;
    List<Pod> onNode;
    try {
      node = kubernetes.get().nodes().withName(nodeName).get();
      onNode = kubernetes.get().pods().inAnyNamespace().withField("spec.nodeName", nodeName).list().getItems().stream()
          .filter(pod -> pod.getSpec() != null && nodeName.equals(pod.getSpec().getNodeName()))
          .filter(pod -> pod.getStatus() == null || !List.of("Succeeded", "Failed").contains(pod.getStatus().getPhase()))
          .toList();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 401 || e.getCode() == 403) {
        return null; // nodes are cluster-scoped: many service accounts may not read them; the workflow says so
      }
      throw ApplicationFailure.newFailure("Kubernetes API: " + e.getMessage(), "KubernetesUnavailable");
    }
    if (node == null || node.getStatus() == null) {
      return null;
    }
    BigDecimal cpu = BigDecimal.ZERO;
    BigDecimal memory = BigDecimal.ZERO;
    for (Pod pod : onNode) {
      for (var c : pod.getSpec().getContainers()) {
        if (c.getResources() != null && c.getResources().getRequests() != null) {
          Quantity q = c.getResources().getRequests().get("cpu");
          cpu = q == null ? cpu : cpu.add(q.getNumericalAmount());
          Quantity m = c.getResources().getRequests().get("memory");
          memory = m == null ? memory : memory.add(m.getNumericalAmount());
        }
      }
    }
    var allocatable = node.getStatus().getAllocatable();
    Quantity allocCpu = allocatable == null ? null : allocatable.get("cpu");
    Quantity allocMemory = allocatable == null ? null : allocatable.get("memory");
    List<String> pressure = new ArrayList<>();
    if (node.getStatus().getConditions() != null) {
      node.getStatus().getConditions().forEach(c -> {
        if ("Ready".equals(c.getType()) && !"True".equals(c.getStatus())) {
          pressure.add("NotReady");
        } else if (!"Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
          pressure.add(c.getType());
        }
      });
    }
    return new NodeResources(
        nodeName, allocCpu == null ? null : allocCpu.toString(), allocMemory == null ? null : allocMemory.toString(),
        cpu.multiply(BigDecimal.valueOf(1000)).setScale(0, java.math.RoundingMode.HALF_UP) + "m", memory.longValue(),
        allocMemory == null ? 0 : allocMemory.getNumericalAmount().longValue(), pressure);
  }

  /** {@code postgres -D <dir> -C name} in the pod (the container's own arguments are not seen). */
  @Override
  public String showSetting(TargetConfig target, String name) {
    placement(target);
    OsCommand.Result shown = shell.run(target, List.of("postgres", "-D", shell.dataDirectory(target), "-C", name));
    if (!shown.ok()) {
      throw new IllegalStateException("postgres -C " + name + " in the pod failed: " + shown.tail(3));
    }
    return shown.stdout().strip();
  }

  /**
   * {@code kubectl delete pod}: only the pod whose uid was recorded before the gate; a pod with
   * another uid is the replacement an earlier attempt (or the controller) made. Then waits for a
   * pod of that name with a new uid, Running and Ready.
   */
  @Override
  public RestartOutcome restart(TargetConfig target, String identityBefore, BooleanSupplier accepting, Consumer<String> progress) {
    KubernetesPlacement p = placement(target);
    String where = p.namespace() + "/" + p.primaryPod();
    Pod pod = KubernetesFailures.call(() -> pod(p).get());
    String action;
    String note = null;
    if (pod != null && identityBefore != null && identityBefore.equals(pod.getMetadata().getUid())) {
      KubernetesFailures.call(() -> pod(p).delete());
      action = "deleted pod " + where + " (uid " + identityBefore + "); its StatefulSet recreates it";
    } else if (identityBefore == null) {
      action = "waited for the StatefulSet to create pod " + where;
    } else {
      action = "deleted pod " + where + " (uid " + identityBefore + ")";
      note = "the pod had been replaced already (an earlier attempt of this step deleted it)";
    }
    long deadline = System.nanoTime() + REPLACEMENT_TIMEOUT.toNanos();
    while (true) {
      Pod now = KubernetesFailures.call(() -> pod(p).get());
      boolean replaced = now != null && !now.getMetadata().getUid().equals(identityBefore) && now.getMetadata().getDeletionTimestamp() == null;
      if (replaced && "Running".equals(now.getStatus() == null ? null : now.getStatus().getPhase()) && ready(now)) {
        return new RestartOutcome(action, identityBefore, now.getMetadata().getUid(), note);
      }
      if (System.nanoTime() > deadline) {
        String state = now == null ? "no pod" : "pod " + (replaced ? "replaced" : "not replaced") + ", phase "
            + (now.getStatus() == null ? null : now.getStatus().getPhase()) + (ready(now) ? ", ready" : ", not ready");
        return new RestartOutcome(action, identityBefore, now == null ? null : now.getMetadata().getUid(),
            "the new pod is not Running and Ready after " + REPLACEMENT_TIMEOUT.toMinutes() + " minutes: " + state);
      }
      progress.accept(now == null ? "waiting for the StatefulSet to create " + where : "waiting for " + where + " to be Running and Ready");
      sleep(poll);
    }
  }

  @Override
  public Boolean podReady(TargetConfig target) {
    Pod pod = KubernetesFailures.call(() -> pod(placement(target)).get());
    return pod != null && "Running".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase()) && ready(pod);
  }

  private PodResource pod(KubernetesPlacement p) {
    return kubernetes.get().pods().inNamespace(p.namespace()).withName(p.primaryPod());
  }

  private static KubernetesPlacement placement(TargetConfig target) {
    KubernetesPlacement p = target.kubernetes();
    if (p == null || p.namespace() == null || p.primaryPod() == null || !p.primaryPod().matches(".+-\\d+")) {
      throw ApplicationFailure.newNonRetryableFailure(
          "target needs kubernetes.namespace and kubernetes.primary-pod (a StatefulSet pod, <statefulset>-<ordinal>)", "InvalidTarget");
    }
    return p;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the pod", e);
    }
  }
}
