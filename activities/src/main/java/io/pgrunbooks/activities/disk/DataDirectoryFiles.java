package io.pgrunbooks.activities.disk;

import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.disk.SizedEntry;
import java.util.List;

/**
 * The file-level steps of Scenario 5, on the machine that holds the data directory: the worker's
 * own ({@link LocalDataDirectory}) or the primary pod's, over exec ({@link PodDataDirectory}).
 */
interface DataDirectoryFiles {

  /** A regular file of a directory: name (no directory part), size, last modification in epoch milliseconds. */
  record FileInfo(String name, long bytes, long modifiedMillis) {}

  /** The data directory as the server sees it. */
  String dataDirectory(TargetConfig target);

  /** {@code du} of each top-level entry of the data directory (base, pg_wal, log, ...), largest first. */
  List<SizedEntry> topLevelSizes(TargetConfig target);

  /** The regular files directly in {@code directory} (no subdirectories, no symbolic links). */
  List<FileInfo> regularFiles(TargetConfig target, String directory);

  /**
   * Deletes {@code directory/name} only if it is still a regular file last modified before {@code
   * cutoffMillis}; whether it did.
   */
  boolean deleteIfUnmodifiedSince(TargetConfig target, String directory, String name, long cutoffMillis);
}
