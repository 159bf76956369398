package io.pgrunbooks.activities.restore;

import io.pgrunbooks.activities.postgres.Identifiers;
import io.pgrunbooks.activities.postgres.NewestRows;
import io.pgrunbooks.activities.verification.RestoreChecks;
import io.pgrunbooks.workflows.restore.FoundBackup;
import io.pgrunbooks.workflows.restore.RestoredDataCheck;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's {@code SELECT count(*) FROM users} and {@code SELECT MAX(created_at) FROM messages},
 * for every table and every configured table, compared with the backup's record.
 */
final class RestoredDataChecks {
  private RestoredDataChecks() {}

  static RestoredDataCheck check(Connection restored, FoundBackup backup, List<String> checkTables, String column)
      throws SQLException {
    Map<String, Long> counts = countRows(restored);
    List<String> mismatches = new ArrayList<>(RestoreChecks.rowCountMismatches(restored, backup.recordedRowCounts()));
    if (counts.isEmpty()) {
      mismatches.add("the restored database has no tables");
    }
    Map<String, String> newest = NewestRows.of(restored, checkTables, column);
    for (Map.Entry<String, String> table : newest.entrySet()) {
      String recorded = backup.recordedNewest().get(table.getKey());
      if (backup.recordedNewest().containsKey(table.getKey()) && !java.util.Objects.equals(recorded, table.getValue())) {
        mismatches.add(table.getKey() + ": newest " + column + " recorded " + recorded + ", restored " + table.getValue());
      }
    }
    return new RestoredDataCheck(
        counts, newest, mismatches, !backup.recordedRowCounts().isEmpty() || !backup.recordedNewest().isEmpty());
  }

  static Map<String, Long> countRows(Connection connection) throws SQLException {
    List<String[]> tables = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(
            """
            select n.nspname, c.relname
              from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where c.relkind in ('r', 'p')
               and n.nspname not in ('pg_catalog', 'information_schema')
               and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
             order by 1, 2
            """)) {
      while (rs.next()) {
        tables.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Statement st = connection.createStatement()) {
      for (String[] t : tables) {
        try (ResultSet rs = st.executeQuery("select count(*) from " + Identifiers.qualified(t[0], t[1]))) {
          rs.next();
          counts.put(t[0] + "." + t[1], rs.getLong(1));
        }
      }
    }
    return counts;
  }
}
