package io.pgrunbooks.workflows.assessment;

/**
 * Disk use of the file system holding the data directory ({@code df} of the seed).
 *
 * @param path the data directory
 * @param totalBytes size of the file system
 * @param usedBytes bytes in use
 * @param availableBytes bytes available to PostgreSQL
 * @param percentUsed 100 * used / (used + available), as df computes Use%
 */
public record StorageUsage(
    String path, long totalBytes, long usedBytes, long availableBytes, double percentUsed) {}
