package io.pgrunbooks.workflows.pitr;

/**
 * The times a recovery can reach: {@code opensAt <= target < closesAt}.
 *
 * @param opensAt RFC 3339: one second after the stop time of the earliest usable backup
 *     (pgBackRest records it in whole seconds; before it the backup is not yet consistent)
 * @param closesAt RFC 3339: the commit time of the last transaction found in archived WAL;
 *     recovery stops before the first commit after the target, so one must exist in the archive
 * @param earliestBackup label of the earliest usable backup
 * @param lastArchivedCommitLsn LSN of that last archived commit
 * @param archiveEndSegment the newest WAL segment in the archive
 * @param archiveNote how the end was established (sealed through the running server, or from the
 *     archive alone, and why)
 */
public record RecoveryWindow(
    String opensAt,
    String closesAt,
    String earliestBackup,
    String lastArchivedCommitLsn,
    String archiveEndSegment,
    String archiveNote) {}
