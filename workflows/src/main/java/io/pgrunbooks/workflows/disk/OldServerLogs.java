package io.pgrunbooks.workflows.disk;

import java.util.List;

/**
 * Step 3, read-only: the server's own log files old enough to delete.
 *
 * @param directory the log directory: log_directory, resolved in the data directory when relative
 * @param pattern the regular expression the names must match, made from log_filename
 * @param retentionDays files last modified more than this many days ago qualify
 * @param cutoff RFC 3339: files modified before this qualify
 * @param files the qualifying files, oldest first (never the file the server writes now)
 * @param otherFiles files in the directory left alone (recent, not matching the pattern), count
 * @param loggingCollector the logging_collector setting (off: the server does not write these files)
 */
public record OldServerLogs(
    String directory, String pattern, int retentionDays, String cutoff, List<LogFile> files, int otherFiles,
    String loggingCollector) {

  public long totalBytes() {
    return files.stream().mapToLong(LogFile::bytes).sum();
  }
}
