package io.pgrunbooks.workflows.diagnosis;

/**
 * One container of a database pod, as {@code kubectl describe pod} shows it.
 *
 * @param name the container
 * @param ready whether it passes its readiness probe
 * @param restartCount restarts since the pod was created
 * @param state running, waiting or terminated
 * @param stateReason the current state's reason (CrashLoopBackOff, OOMKilled, ...), null when none
 * @param lastTerminationReason why the previous instance ended (OOMKilled, Error, Completed); null
 *     when it never restarted
 * @param lastTerminationExitCode its exit code, null when it never restarted
 * @param lastTerminationFinishedAt when it ended (RFC 3339), null when it never restarted
 */
public record ContainerDetails(
    String name,
    boolean ready,
    int restartCount,
    String state,
    String stateReason,
    String lastTerminationReason,
    Integer lastTerminationExitCode,
    String lastTerminationFinishedAt) {}
