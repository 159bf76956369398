package io.pgrunbooks.activities.hosting;

import java.util.List;
import java.util.regex.Pattern;

/** The seed's log filter: {@code grep -i -E "(database|postgres|connection.*error|timeout)"}. */
public final class LogPatterns {
  private static final Pattern DATABASE_TROUBLE =
      Pattern.compile("(database|postgres|connection.*error|timeout)", Pattern.CASE_INSENSITIVE);

  /** Matching lines are cut to this many characters and at most this many kept. */
  public static final int MAX_LINE = 300;

  public static final int MAX_MATCHES = 20;

  private LogPatterns() {}

  public static List<String> databaseTrouble(String log) {
    if (log == null || log.isEmpty()) {
      return List.of();
    }
    return log.lines()
        .filter(line -> DATABASE_TROUBLE.matcher(line).find())
        .map(line -> line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "…" : line)
        .limit(MAX_MATCHES)
        .toList();
  }
}
