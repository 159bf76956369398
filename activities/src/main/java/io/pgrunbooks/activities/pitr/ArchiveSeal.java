package io.pgrunbooks.activities.pitr;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Brings the archive up to now through the running server, as {@code pgbackrest check} does: a
 * transaction that only takes an xid (a commit record, no data), a WAL switch, then a wait until
 * the archiver reports that segment archived. The data is not touched; the archive then ends with
 * a commit after every target in the past. A server whose archiving fails is reported at once.
 */
final class ArchiveSeal {
  private ArchiveSeal() {}

  /**
   * @param archived whether the sealed segment was archived in time
   * @param currentLsn the server's WAL position after the switch
   * @param note what happened, for the plan
   */
  record Seal(boolean archived, String currentLsn, String note) {}

  static Seal seal(Connection c, Duration wait) throws SQLException {
    c.setReadOnly(false);
    c.setAutoCommit(true);
    try (Statement st = c.createStatement()) {
      if (single(st, "select pg_is_in_recovery()::text").equals("true")) {
        return new Seal(false, null, "the server is in recovery, so it cannot seal the archive");
      }
      String since = single(st, "select now()::text");
      single(st, "select pg_current_xact_id()::text");
      String segment = single(st, "select pg_walfile_name(pg_switch_wal())");
      String lsn = single(st, "select pg_current_wal_lsn()::text");
      long deadline = System.nanoTime() + wait.toNanos();
      while (System.nanoTime() < deadline) {
        try (ResultSet rs =
            st.executeQuery(
                "select last_archived_wal, last_failed_wal, last_failed_time > '" + since + "'::timestamptz"
                    + " from pg_stat_archiver")) {
          rs.next();
          String archived = rs.getString(1);
          if (archived != null && archived.length() >= 24 && archived.substring(0, 24).compareTo(segment) >= 0) {
            return new Seal(true, lsn, "sealed: segment " + segment + " archived");
          }
          if (rs.getBoolean(3)) {
            return new Seal(false, lsn, "archiving is failing (last failed: " + rs.getString(2) + "), so the archive ends before now");
          }
        }
        sleep();
      }
      return new Seal(false, lsn, "segment " + segment + " was not archived within " + wait.toSeconds() + " s");
    }
  }

  private static String single(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the archiver", e);
    }
  }
}
