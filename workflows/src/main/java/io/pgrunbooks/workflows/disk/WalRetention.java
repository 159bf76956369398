package io.pgrunbooks.workflows.disk;

import java.util.List;

/**
 * Step 2, read-only: why WAL piles up in pg_wal. Replaces the seed's {@code pg_switch_wal()} and
 * {@code find pg_wal -name "*.ready" -delete}: a {@code .ready} file marks a segment the archive
 * still needs, so the answer is to find out why archiving is stuck, never to delete under pg_wal.
 *
 * @param walSegments files in pg_wal (pg_ls_waldir)
 * @param walBytes their total size
 * @param readySegments segments waiting to be archived (archive_status/*.ready)
 * @param archiveMode archive_mode
 * @param archiveCommand archive_command (empty: none; archive_library, PostgreSQL 15+, may be set instead)
 * @param archivedCount pg_stat_archiver.archived_count
 * @param lastArchivedWal pg_stat_archiver.last_archived_wal
 * @param lastArchivedTime RFC 3339 (null: never)
 * @param failedCount pg_stat_archiver.failed_count
 * @param lastFailedWal pg_stat_archiver.last_failed_wal: the segment archiving fails on
 * @param lastFailedTime RFC 3339 (null: never)
 * @param archivingStuck archiving is on and its last attempt failed (a failure after the last success)
 * @param slots every replication slot with the WAL it retains, most first
 * @param walKeepSize wal_keep_size (e.g. 0, 1GB)
 * @param maxWalSize max_wal_size
 * @param maxSlotWalKeepSize max_slot_wal_keep_size (-1: a slot may retain without limit)
 */
public record WalRetention(
    int walSegments,
    long walBytes,
    int readySegments,
    String archiveMode,
    String archiveCommand,
    long archivedCount,
    String lastArchivedWal,
    String lastArchivedTime,
    long failedCount,
    String lastFailedWal,
    String lastFailedTime,
    boolean archivingStuck,
    List<ReplicationSlotRetention> slots,
    String walKeepSize,
    String maxWalSize,
    String maxSlotWalKeepSize) {

  /** The slots nobody consumes that keep WAL on disk. */
  public List<ReplicationSlotRetention> inactiveRetaining() {
    return slots.stream().filter(s -> !s.active() && s.retainedBytes() > 0).toList();
  }
}
