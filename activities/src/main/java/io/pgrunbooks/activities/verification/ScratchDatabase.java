package io.pgrunbooks.activities.verification;

import io.pgrunbooks.activities.postgres.Identifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database a verification restores into, created fresh (dropping one left by a dead attempt)
 * and dropped with {@code WITH (FORCE)} afterwards, so no restore leaves anything behind. Only
 * names the workflow made ({@code pgrb_verify_...}) are accepted: this never drops a real database.
 */
final class ScratchDatabase {
  static final String PREFIX = "pgrb_verify_";

  private ScratchDatabase() {}

  static void create(Connection admin, String name) throws SQLException {
    drop(admin, name);
    try (Statement st = admin.createStatement()) {
      st.execute("create database " + Identifiers.quote(checked(name)) + " template template0");
    }
  }

  static void drop(Connection admin, String name) throws SQLException {
    try (Statement st = admin.createStatement()) {
      st.execute("drop database if exists " + Identifiers.quote(checked(name)) + " with (force)");
    }
  }

  static String checked(String name) {
    if (name == null || !name.startsWith(PREFIX) || !name.matches("[a-z0-9_]{1,63}")) {
      throw new IllegalArgumentException("not a scratch database name: " + name);
    }
    return name;
  }
}
