package io.pgrunbooks.activities.crashrecovery;

/**
 * Where the server writes its log files.
 *
 * @param directory log_directory, made absolute (relative ones are inside the data directory)
 * @param filename log_filename, with its strftime escapes
 * @param collector logging_collector: off means the server writes no log files of its own
 */
record LogSettings(String directory, String filename, boolean collector) {

  static LogSettings of(String dataDirectory, String logDirectory, String filename, String collector) {
    String dir = logDirectory.startsWith("/") ? logDirectory : dataDirectory + "/" + logDirectory;
    return new LogSettings(dir, filename, "on".equalsIgnoreCase(collector) || "true".equalsIgnoreCase(collector));
  }
}
