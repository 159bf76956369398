package io.pgrunbooks.workflows.diagnosis;

import java.util.List;

/**
 * A database pod as {@code kubectl describe pod} shows it (seed: primary and replica pods).
 *
 * @param name the pod
 * @param phase Pending, Running, Failed, ...
 * @param node the node it runs on
 * @param startedAt when the pod started (RFC 3339)
 * @param conditions each condition as {@code Type=Status} with its reason when false, e.g.
 *     {@code Ready=False (ContainersNotReady)}
 * @param containers its containers
 */
public record PodDetails(
    String name, String phase, String node, String startedAt, List<String> conditions, List<ContainerDetails> containers) {}
