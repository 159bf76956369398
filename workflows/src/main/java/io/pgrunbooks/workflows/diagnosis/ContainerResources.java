package io.pgrunbooks.workflows.diagnosis;

import java.util.Map;

/**
 * Requests and limits of one container of a database pod (seed: {@code grep -E "(Limits|Requests)"}).
 *
 * @param pod the pod
 * @param container the container
 * @param requests resource name to quantity, e.g. {@code memory -> 1Gi}; empty when none
 * @param limits resource name to quantity; empty when none
 */
public record ContainerResources(String pod, String container, Map<String, String> requests, Map<String, String> limits) {}
