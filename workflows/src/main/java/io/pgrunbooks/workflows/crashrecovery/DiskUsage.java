package io.pgrunbooks.workflows.crashrecovery;

import java.util.List;

/**
 * The seed's {@code du -sh /var/lib/postgresql/data/*}: what fills the data directory.
 *
 * @param dataDirectory the data directory
 * @param totalBytes its whole size on disk
 * @param entries its top-level entries, largest first (at most 20)
 * @param note why it could not be measured (null when it was)
 */
public record DiskUsage(String dataDirectory, long totalBytes, List<DiskEntry> entries, String note) {}
