package io.pgrunbooks.workflows.crashrecovery;

import java.util.List;

/**
 * The server log files older than the retention, found in the server's own log directory.
 *
 * @param directory the log directory (log_directory, resolved in the data directory when relative)
 * @param pattern the file names the server writes there (log_filename), as a regular expression
 * @param files the old files, oldest first; never the file the server writes to now
 * @param note why none could be listed (null when they could)
 */
public record OldLogs(String directory, String pattern, List<LogFile> files, String note) {

  public long bytes() {
    return files.stream().mapToLong(LogFile::bytes).sum();
  }
}
