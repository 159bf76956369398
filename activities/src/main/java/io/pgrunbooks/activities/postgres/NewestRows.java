package io.pgrunbooks.activities.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's {@code SELECT MAX(created_at) FROM messages}: when the newest row of each named table
 * was written, as text (so the time zone survives the trip through JSON). Recorded at backup time
 * and compared after a restore. Tables without the column (or of another database) are skipped.
 */
public final class NewestRows {
  private NewestRows() {}

  /** {@code schema.table -> max(column)::text} for each table ({@code name} means public.name) that has the column. */
  public static Map<String, String> of(Connection connection, List<String> tables, String column) throws SQLException {
    Map<String, String> newest = new LinkedHashMap<>();
    for (String table : tables) {
      String qualified = table.contains(".") ? table : "public." + table;
      int dot = qualified.indexOf('.');
      String schema = qualified.substring(0, dot);
      String name = qualified.substring(dot + 1);
      if (!hasColumn(connection, schema, name, column)) {
        continue;
      }
      try (Statement st = connection.createStatement();
          ResultSet rs = st.executeQuery(
              "select max(" + Identifiers.quote(column) + ")::text from " + Identifiers.qualified(schema, name))) {
        rs.next();
        newest.put(qualified, rs.getString(1));
      }
    }
    return newest;
  }

  private static boolean hasColumn(Connection connection, String schema, String table, String column) throws SQLException {
    try (PreparedStatement st = connection.prepareStatement(
        "select 1 from information_schema.columns where table_schema = ? and table_name = ? and column_name = ?")) {
      st.setString(1, schema);
      st.setString(2, table);
      st.setString(3, column);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }
}
