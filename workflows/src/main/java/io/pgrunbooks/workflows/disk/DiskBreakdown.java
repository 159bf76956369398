package io.pgrunbooks.workflows.disk;

import io.pgrunbooks.workflows.targets.Hosting;
import java.util.List;

/**
 * Step 1, read-only: how full the disk is and what fills it.
 *
 * @param hosting how the target runs (decides whether the volume can be grown by the run)
 * @param usage {@code df} of the data directory's file system against the threshold
 * @param dataDirectory the data directory's top-level entries, largest first ({@code du -sk
 *     data/*}): base, pg_wal, log, ...
 * @param databases every database's size, largest first ({@code pg_database_size})
 */
public record DiskBreakdown(Hosting hosting, DiskCheck usage, List<SizedEntry> dataDirectory, List<SizedEntry> databases) {}
