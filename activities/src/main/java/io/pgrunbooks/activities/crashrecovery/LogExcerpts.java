package io.pgrunbooks.activities.crashrecovery;

import io.pgrunbooks.workflows.crashrecovery.ServerLogs;
import java.util.List;
import java.util.regex.Pattern;

/** Bounded excerpts of a server log: its tail and the lines that say why the server stopped. */
final class LogExcerpts {
  /** Lines that say why a server stopped. */
  private static final Pattern FATAL = Pattern.compile(
      "FATAL|PANIC|No space left|out of memory|terminated by signal|could not|Killed", Pattern.CASE_INSENSITIVE);

  private LogExcerpts() {}

  /** The last {@link ServerLogs#MAX_LINES} lines of a log, each cut to {@link ServerLogs#MAX_LINE}. */
  static List<String> tail(String log) {
    if (log == null || log.isBlank()) {
      return List.of();
    }
    List<String> lines = log.lines().filter(l -> !l.isBlank()).toList();
    return lines.subList(Math.max(0, lines.size() - ServerLogs.MAX_LINES), lines.size()).stream().map(LogExcerpts::cut).toList();
  }

  /** The lines of a whole log that say why it stopped, the last {@link ServerLogs#MAX_LINES}, cut. */
  static List<String> fatal(String log) {
    if (log == null || log.isBlank()) {
      return List.of();
    }
    List<String> lines = log.lines().filter(l -> FATAL.matcher(l).find()).toList();
    return lines.subList(Math.max(0, lines.size() - ServerLogs.MAX_LINES), lines.size()).stream().map(LogExcerpts::cut).toList();
  }

  private static String cut(String line) {
    return line.length() > ServerLogs.MAX_LINE ? line.substring(0, ServerLogs.MAX_LINE) + "…" : line;
  }
}
