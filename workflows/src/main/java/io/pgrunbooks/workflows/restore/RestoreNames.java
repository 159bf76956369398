package io.pgrunbooks.workflows.restore;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The names a restore gives databases: {@code <db>_restore_<ts>} for the copy and {@code
 * <db>_pre_restore_<ts>} for the old database, cut to PostgreSQL's 63 bytes by shortening the
 * database part (the timestamp keeps them unique). The timestamp is the run's start, from workflow
 * time, so a replay or a retry names the same databases.
 */
public final class RestoreNames {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
  private static final int MAX = 63;

  private RestoreNames() {}

  public static String stamp(long epochMillis) {
    return STAMP.format(Instant.ofEpochMilli(epochMillis));
  }

  public static String restored(String database, String stamp) {
    return fit(database, "_restore_" + stamp);
  }

  public static String preRestore(String database, String stamp) {
    return fit(database, "_pre_restore_" + stamp);
  }

  /** Whether a name is one this workflow makes for a restored copy (the only kind it drops). */
  public static boolean isRestoredCopy(String name) {
    return name != null && name.matches("[a-z0-9_]{1,40}_restore_\\d{8}_\\d{6}") && !name.contains("_pre_restore_");
  }

  /** Whether a name is one a restore leaves behind: an old database or an unswapped copy. */
  public static boolean isLeftover(String name) {
    return isRestoredCopy(name) || (name != null && name.matches("[a-z0-9_]{1,36}_pre_restore_\\d{8}_\\d{6}"));
  }

  private static String fit(String database, String suffix) {
    String base = database.length() + suffix.length() > MAX ? database.substring(0, MAX - suffix.length()) : database;
    return base + suffix;
  }
}
