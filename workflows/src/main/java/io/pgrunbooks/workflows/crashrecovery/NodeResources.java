package io.pgrunbooks.workflows.crashrecovery;

import java.util.List;

/**
 * The seed's {@code kubectl describe node <the pod's node>}: room on the node.
 *
 * @param node the node's name
 * @param allocatableCpu e.g. 3920m
 * @param allocatableMemory e.g. 15Gi
 * @param requestedCpu the sum of the CPU requests of the pods on the node, e.g. 3500m
 * @param requestedMemory the sum of their memory requests, in bytes
 * @param allocatableMemoryBytes allocatable memory, in bytes
 * @param pressure the node's conditions that are true and bad: MemoryPressure, DiskPressure,
 *     PIDPressure, or "NotReady"
 */
public record NodeResources(
    String node,
    String allocatableCpu,
    String allocatableMemory,
    String requestedCpu,
    long requestedMemory,
    long allocatableMemoryBytes,
    List<String> pressure) {

  public String describe() {
    return "node " + node + ": cpu requested " + requestedCpu + " of " + allocatableCpu + " allocatable, memory requested "
        + requestedMemory + " of " + allocatableMemoryBytes + " bytes" + (pressure.isEmpty() ? "" : "; " + String.join(", ", pressure));
  }
}
