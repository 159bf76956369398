package io.pgrunbooks.workflows.backupfailure;

import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 1 on kubernetes, the seed's {@code kubectl get service postgres-primary} and {@code kubectl
 * get pods -l app=postgres-primary}: the primary's StatefulSet, the Services in front of its pods with
 * their endpoints, and its pods. Read from the API server by the worker; what could not be read is in
 * {@link #problems}, never a failure.
 *
 * @param namespace the target's namespace
 * @param statefulSet the primary's StatefulSet: the primary pod's name without its ordinal (null: the
 *     target names no primary pod)
 * @param statefulSetExists whether the API server has it
 * @param replicas its spec.replicas (null: no StatefulSet)
 * @param readyReplicas its status.readyReplicas (null: none reported)
 * @param updatedReplicas its status.updatedReplicas, pods at the newest template (null: none reported)
 * @param services the Service the primary endpoint's host names ({@code <service>.<namespace>.svc...}),
 *     else every Service of the namespace whose selector chooses the StatefulSet's pods
 * @param pods the StatefulSet's pods, by name
 * @param problems what could not be read or is plainly wrong (no Service, no ready endpoint), for a person
 */
public record DatabaseService(
    String namespace, String statefulSet, boolean statefulSetExists, Integer replicas, Integer readyReplicas,
    Integer updatedReplicas, List<ServiceEndpoints> services, List<DatabasePod> pods, List<String> problems) {

  public DatabaseService {
    services = services == null ? List.of() : List.copyOf(services);
    pods = pods == null ? List.of() : List.copyOf(pods);
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /**
   * A Service and the addresses of its EndpointSlices ({@code kubectl get endpoints}).
   *
   * @param name the Service's name
   * @param exists whether the API server has it
   * @param ready addresses that receive connections, as {@code ip (pod)}
   * @param notReady addresses of pods that are not ready (their connections are not routed)
   */
  public record ServiceEndpoints(String name, boolean exists, List<String> ready, List<String> notReady) {
    public ServiceEndpoints {
      ready = ready == null ? List.of() : List.copyOf(ready);
      notReady = notReady == null ? List.of() : List.copyOf(notReady);
    }

    String describe() {
      if (!exists) {
        return "service " + name + " does not exist";
      }
      return "service " + name + ": " + (ready.isEmpty() ? "no ready endpoint" : "ready " + String.join(", ", ready))
          + (notReady.isEmpty() ? "" : ", not ready " + String.join(", ", notReady));
    }
  }

  /**
   * One pod of the StatefulSet, as {@code kubectl get pods} and {@code describe pod} show it.
   *
   * @param name the pod's name
   * @param phase Pending, Running, Succeeded, Failed or Unknown
   * @param ready whether every container is ready
   * @param restarts restarts of its containers, summed
   * @param reason what kubectl shows instead of the phase: a waiting or terminated container's reason
   *     (CrashLoopBackOff, OOMKilled, ...), Terminating; null when none
   * @param lastTermination the last terminated state of a container that restarted, e.g. {@code OOMKilled,
   *     exit 137 at 2026-11-29T10:00:00Z}; null when none restarted
   */
  public record DatabasePod(String name, String phase, boolean ready, int restarts, String reason, String lastTermination) {
    String describe() {
      return "pod " + name + ": " + phase + (ready ? ", ready" : ", not ready") + ", " + restarts + " restart(s)"
          + (reason == null ? "" : ", " + reason) + (lastTermination == null ? "" : ", last terminated " + lastTermination);
    }
  }

  /** Whether something here explains a connection that fails: no ready pod, or no Service routing to one. */
  public boolean healthy() {
    return statefulSetExists && !pods.isEmpty() && pods.stream().allMatch(DatabasePod::ready)
        && !services.isEmpty() && services.stream().allMatch(s -> s.exists() && !s.ready().isEmpty());
  }

  public String describe() {
    List<String> parts = new ArrayList<>();
    if (statefulSet != null) {
      parts.add(statefulSetExists
          ? "statefulset " + namespace + "/" + statefulSet + ": " + replicas + " replica(s), " + count(readyReplicas) + " ready, "
              + count(updatedReplicas) + " updated"
          : "statefulset " + namespace + "/" + statefulSet + " does not exist");
    }
    services.forEach(s -> parts.add(s.describe()));
    pods.forEach(p -> parts.add(p.describe()));
    parts.addAll(problems);
    return String.join("; ", parts);
  }

  private static int count(Integer n) {
    return n == null ? 0 : n;
  }
}
