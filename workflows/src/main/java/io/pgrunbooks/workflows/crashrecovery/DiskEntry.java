package io.pgrunbooks.workflows.crashrecovery;

/**
 * One top-level entry of the data directory, as {@code du -a -k -d 1} sizes it.
 *
 * @param path the entry's path
 * @param bytes its size on disk
 */
public record DiskEntry(String path, long bytes) {}
