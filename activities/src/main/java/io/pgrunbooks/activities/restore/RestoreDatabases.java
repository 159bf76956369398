package io.pgrunbooks.activities.restore;

import io.pgrunbooks.activities.postgres.Identifiers;
import io.pgrunbooks.workflows.restore.LeftoverDatabase;
import io.pgrunbooks.workflows.restore.RestoreNames;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The databases a restore creates, renames and drops. Only names a restore makes ({@link
 * RestoreNames#isLeftover}) are ever dropped; the live database is only ever renamed, and
 * both renames of the swap commit together.
 */
final class RestoreDatabases {
  private RestoreDatabases() {}

  /**
   * Creates the copy afresh (dropping one a dead attempt left), with the live database's owner,
   * encoding and locale when it exists, since a custom-format dump does not carry them.
   */
  static void createCopy(Connection admin, String live, String copy) throws SQLException {
    drop(admin, copy);
    StringBuilder sql = new StringBuilder("create database ").append(Identifiers.quote(copy)).append(" template template0");
    try (PreparedStatement st = admin.prepareStatement(
        "select pg_get_userbyid(datdba), pg_encoding_to_char(encoding), datcollate, datctype from pg_database where datname = ?")) {
      st.setString(1, live);
      try (ResultSet rs = st.executeQuery()) {
        if (rs.next()) {
          sql.append(" owner ").append(Identifiers.quote(rs.getString(1)))
              .append(" encoding ").append(literal(rs.getString(2)))
              .append(" lc_collate ").append(literal(rs.getString(3)))
              .append(" lc_ctype ").append(literal(rs.getString(4)));
        }
      }
    }
    try (Statement st = admin.createStatement()) {
      st.execute(sql.toString());
    }
  }

  static void drop(Connection admin, String copy) throws SQLException {
    if (!RestoreNames.isLeftover(copy)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "refusing to drop " + copy + ": not a name a restore makes (<db>_restore_<ts> or <db>_pre_restore_<ts>)", "InvalidRestoreRequest");
    }
    try (Statement st = admin.createStatement()) {
      st.execute("drop database if exists " + Identifiers.quote(copy) + " with (force)");
    }
  }

  /**
   * Sessions left on either database would block the renames (the applications are scaled down):
   * each is ended, then awaited, since pg_terminate_backend returns once the signal is sent and a
   * backend still exiting makes ALTER DATABASE fail. Polled outside a transaction, which would
   * otherwise see one cached snapshot of pg_stat_activity.
   */
  private static void endSessions(Connection admin, String live, String copy) throws SQLException {
    String others = "from pg_stat_activity where datname in (?, ?) and pid <> pg_backend_pid()";
    try (PreparedStatement kick = admin.prepareStatement("select count(pg_terminate_backend(pid)) " + others);
        PreparedStatement left = admin.prepareStatement("select count(*) " + others)) {
      kick.setString(1, live);
      kick.setString(2, copy);
      kick.executeQuery().close();
      left.setString(1, live);
      left.setString(2, copy);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = left.executeQuery()) {
          rs.next();
          if (rs.getInt(1) == 0) {
            return;
          }
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Live -> preRestore and copy -> live in one transaction; what it did, or that it was done. */
  static String swap(Connection admin, String live, String copy, String preRestore) throws SQLException {
    boolean liveExists = exists(admin, live);
    boolean copyExists = exists(admin, copy);
    boolean preExists = exists(admin, preRestore);
    if (!copyExists && preExists && liveExists) {
      return "already swapped: " + live + " is the restored data, the old database is " + preRestore;
    }
    if (!copyExists) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the restored copy " + copy + " does not exist (dropped by someone?); nothing was renamed", "SwapNotPossible");
    }
    if (preExists) {
      throw ApplicationFailure.newNonRetryableFailure(
          preRestore + " already exists; nothing was renamed", "SwapNotPossible");
    }
    endSessions(admin, live, copy);
    admin.setAutoCommit(false);
    try (Statement st = admin.createStatement()) {
      if (liveExists) {
        st.execute("alter database " + Identifiers.quote(live) + " rename to " + Identifiers.quote(preRestore));
      }
      st.execute("alter database " + Identifiers.quote(copy) + " rename to " + Identifiers.quote(live));
      admin.commit();
    } catch (SQLException e) {
      admin.rollback();
      throw e;
    } finally {
      admin.setAutoCommit(true);
    }
    return liveExists
        ? "renamed " + live + " -> " + preRestore + " (kept) and " + copy + " -> " + live
        : live + " did not exist; renamed " + copy + " -> " + live;
  }

  /** Size and sessions of a database, or null when there is none of that name. */
  static LeftoverDatabase describe(Connection admin, String database) throws SQLException {
    try (PreparedStatement st = admin.prepareStatement(
        "select pg_database_size(datname), (select count(*) from pg_stat_activity a where a.datname = d.datname)"
            + " from pg_database d where datname = ?")) {
      st.setString(1, database);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? new LeftoverDatabase(database, rs.getLong(1), rs.getInt(2)) : null;
      }
    }
  }

  static boolean exists(Connection admin, String database) throws SQLException {
    try (PreparedStatement st = admin.prepareStatement("select 1 from pg_database where datname = ?")) {
      st.setString(1, database);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
