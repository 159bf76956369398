package io.pgrunbooks.workflows.crashrecovery;

import java.util.List;

/**
 * The server's own words, bounded: at most {@link #MAX_LINES} lines of each, each cut to {@link
 * #MAX_LINE} characters (history keeps an excerpt, not the log).
 *
 * @param sources where the lines come from, e.g. "kubectl logs postgres-primary-0 -c postgres
 *     --previous" or a log file's path
 * @param previous the previous container's last lines (kubernetes; empty on a host or when the
 *     container never restarted)
 * @param current the last lines of the current container's log or the current server log file
 * @param fatal the lines that say why it stopped: FATAL, PANIC, "No space left", "out of memory",
 *     "terminated by signal", from both, oldest first
 * @param notes what could not be read, and why
 */
public record ServerLogs(
    List<String> sources, List<String> previous, List<String> current, List<String> fatal, List<String> notes) {
  /** The seed's {@code --tail=50}. */
  public static final int MAX_LINES = 50;

  /** Longer lines are cut. */
  public static final int MAX_LINE = 300;
}
