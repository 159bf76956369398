package io.pgrunbooks.workflows.disk;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/** The side effects of Scenario 5; each changing step does exactly what its gate showed, re-checked first. */
@ActivityInterface
public interface DiskActivities {

  /** Step 1, read-only: {@code df} and {@code du} of the data directory, every database's size. */
  DiskBreakdown measureDiskUsage(String target);

  /** Step 2, read-only: pg_wal's size, pg_stat_archiver, replication slots and the WAL settings. */
  WalRetention checkWalRetention(String target);

  /**
   * Step 2, change: {@code pg_drop_replication_slot} of the approved slot, only if it is still
   * inactive. Returns what happened ("dropped", or why not: active again, gone already).
   */
  String dropReplicationSlot(String target, String slot);

  /** Step 3, read-only: server log files older than {@code retentionDays} in the configured log directory. */
  OldServerLogs findOldServerLogs(String target, int retentionDays);

  /**
   * Step 3, change: deletes exactly the approved files, each only if it is still there, still a
   * regular file of the log directory and still unmodified since the cutoff; the others are skipped and named.
   */
  LogDeletion deleteOldServerLogs(String target, OldServerLogs approved);

  /** Step 4, read-only (kubernetes): the data directory's claim and whether it can grow to {@code expandTo}. */
  DataVolume describeDataVolume(String target, String expandTo);

  /**
   * Step 4, change (kubernetes): spec.resources.requests.storage of the claim set to {@code expandTo}
   * (nothing when it already asks for as much); returns the claim as it is afterwards.
   */
  DataVolume expandDataVolume(String target, String claim, String expandTo);

  /** Step 5, read-only: the largest tables of the target's databases with their dead rows, largest first. */
  List<BloatedTable> findLargestTables(String target);

  /**
   * Step 5, change: VACUUM FULL (or plain VACUUM) of each listed table in turn, heartbeating after
   * each and resuming after the last one done; a table whose lock is not granted soon is skipped.
   */
  List<TableVacuum> vacuumTables(String target, List<BloatedTable> tables, boolean full);

  /** Step 6: {@code df} again, against the target's disk threshold. */
  DiskCheck recheckDisk(String target);
}
