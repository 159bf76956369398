package io.pgrunbooks.workflows.diagnosis;

/**
 * An event of the namespace about a database pod ({@code kubectl get events | grep postgres}).
 *
 * @param lastSeen when it last happened (RFC 3339)
 * @param type Normal or Warning
 * @param reason e.g. BackOff, Killing, FailedScheduling
 * @param object the pod it is about
 * @param message what Kubernetes says
 * @param count how often it happened
 */
public record PodEvent(String lastSeen, String type, String reason, String object, String message, int count) {}
