package io.pgrunbooks.workflows.assessment;

/**
 * One database pod, as {@code kubectl get pods -o wide} shows it.
 *
 * @param name pod name
 * @param phase Pending, Running, Succeeded, Failed, Unknown
 * @param ready whether every container is ready
 * @param restarts container restarts, summed
 * @param reason why a container waits or terminated (e.g. CrashLoopBackOff), null when running
 * @param node the node the pod runs on
 */
public record PodStatus(
    String name, String phase, boolean ready, int restarts, String reason, String node) {}
