package io.pgrunbooks.activities.verification;

import io.pgrunbooks.activities.postgres.Identifiers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a restored scratch database is checked for: row counts and B-tree index integrity. */
public final class RestoreChecks {
  private RestoreChecks() {}

  /** {@code schema.table: expected N, restored M} for every table whose count differs or is missing. */
  public static List<String> rowCountMismatches(Connection scratch, Map<String, Long> expected) throws SQLException {
    List<String> mismatches = new ArrayList<>();
    try (Statement st = scratch.createStatement()) {
      for (Map.Entry<String, Long> table : expected.entrySet()) {
        int dot = table.getKey().indexOf('.');
        String sql =
            "select count(*) from "
                + Identifiers.qualified(table.getKey().substring(0, dot), table.getKey().substring(dot + 1));
        try (ResultSet rs = st.executeQuery(sql)) {
          rs.next();
          long restored = rs.getLong(1);
          if (restored != table.getValue()) {
            mismatches.add(table.getKey() + ": expected " + table.getValue() + ", restored " + restored);
          }
        } catch (SQLException e) {
          if (!scratch.getAutoCommit()) {
            scratch.rollback();
          }
          mismatches.add(table.getKey() + ": expected " + table.getValue() + ", not restored (" + e.getMessage() + ")");
        }
      }
    }
    return mismatches;
  }

  /** Result of amcheck over every valid B-tree index of user schemas. */
  record Amcheck(int checked, List<String> failures) {}

  static Amcheck btreeIndexes(Connection scratch) throws SQLException {
    List<String> indexes = new ArrayList<>();
    try (Statement st = scratch.createStatement()) {
      st.execute("create extension if not exists amcheck");
      try (ResultSet rs =
          st.executeQuery(
              """
              select c.oid::regclass::text
                from pg_index i
                join pg_class c on c.oid = i.indexrelid
                join pg_am am on am.oid = c.relam
                join pg_namespace n on n.oid = c.relnamespace
               where am.amname = 'btree' and i.indisvalid and i.indisready
                 and n.nspname not in ('pg_catalog', 'information_schema')
                 and n.nspname not like 'pg\\_toast%'
               order by 1
              """)) {
        while (rs.next()) {
          indexes.add(rs.getString(1));
        }
      }
      List<String> failures = new ArrayList<>();
      for (String index : indexes) {
        try (ResultSet rs = st.executeQuery("select bt_index_check(" + quoteLiteral(index) + "::regclass, true)")) {
          rs.next();
        } catch (SQLException e) {
          failures.add(index + ": " + e.getMessage());
        }
      }
      return new Amcheck(indexes.size(), failures);
    }
  }

  private static String quoteLiteral(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
