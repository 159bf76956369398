package io.pgrunbooks.workflows.assessment;

/**
 * Memory and CPU ({@code free -h}, {@code kubectl top pod}). Fields are null where the source does
 * not offer them.
 *
 * @param source where the numbers come from, e.g. "/proc/meminfo" or "metrics.k8s.io"
 * @param memoryTotalBytes memory of the machine or the pod's limit
 * @param memoryUsedBytes memory in use
 * @param memoryPercentUsed 100 * used / total
 * @param cpuMillicores CPU in use, where known
 */
public record ResourceUsage(
    String source,
    Long memoryTotalBytes,
    Long memoryUsedBytes,
    Double memoryPercentUsed,
    Long cpuMillicores) {}
