package io.pgrunbooks.workflows.crashrecovery;

import io.pgrunbooks.workflows.targets.Hosting;
import java.util.List;

/**
 * Why the server is down, as {@code kubectl describe pod} (kubernetes) or {@code pg_ctl status} and
 * postmaster.pid (host) tell it.
 *
 * @param hosting how the target runs
 * @param where the primary pod ("namespace/name") or the data directory
 * @param running kubernetes: the primary pod exists and its phase is Running; host: pg_ctl status
 *     finds the postmaster
 * @param ready kubernetes: the pod's Ready condition; host: same as running
 * @param identity what a restart replaces: the pod's uid, or "pid N" of the postmaster; null when
 *     there is none (no pod, server down)
 * @param phase kubernetes: the pod's phase (null: no pod); host: "running" or "stopped"
 * @param restartCount restarts of the pod's containers (null on a host)
 * @param containers each container's state, e.g. "postgres: waiting CrashLoopBackOff (back-off 5m0s
 *     ...); last terminated OOMKilled, exit 137 at 2024-05-01T08:00:00Z"
 * @param events the pod's newest events (kubernetes), newest first, e.g. "2024-05-01T08:00:00Z
 *     Warning BackOff (x12): Back-off restarting failed container"
 * @param node the node the pod runs on (null on a host or when unscheduled)
 * @param volumeClaim the PVC holding the data directory, from the pod's volumes or the StatefulSet's
 *     claim template (null on a host)
 * @param pidFile host: what postmaster.pid says, e.g. "postmaster.pid names pid 4711, which is not
 *     running (stale: PostgreSQL replaces it at start)"; null on kubernetes
 */
public record ServerState(
    Hosting hosting,
    String where,
    boolean running,
    boolean ready,
    String identity,
    String phase,
    Integer restartCount,
    List<String> containers,
    List<String> events,
    String node,
    String volumeClaim,
    String pidFile) {

  /** One line for a person. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    if (hosting == Hosting.KUBERNETES) {
      s.append(phase == null ? "no primary pod" : "pod " + phase + (ready ? ", ready" : ", not ready"));
      if (restartCount != null) {
        s.append(", ").append(restartCount).append(" restart(s)");
      }
      if (!containers.isEmpty()) {
        s.append("; ").append(String.join("; ", containers));
      }
    } else {
      s.append(running ? "server running (" + identity + ")" : "server not running");
      if (pidFile != null) {
        s.append("; ").append(pidFile);
      }
    }
    return s.toString();
  }
}
