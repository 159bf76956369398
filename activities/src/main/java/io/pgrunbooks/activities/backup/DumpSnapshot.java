package io.pgrunbooks.activities.backup;

import io.pgrunbooks.activities.postgres.Identifiers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A repeatable-read transaction whose snapshot pg_dump imports ({@code --snapshot}), so that the
 * row counts taken here describe exactly the data in the dump. It must stay open until pg_dump
 * has started; counting runs while pg_dump streams.
 */
final class DumpSnapshot implements AutoCloseable {
  private final Connection connection;
  private final String id;

  private DumpSnapshot(Connection connection, String id) {
    this.connection = connection;
    this.id = id;
  }

  static DumpSnapshot export(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement st = connection.createStatement()) {
      st.execute("set transaction isolation level repeatable read, read only");
      // No statement timeout: counting a large table inside the snapshot takes as long as it takes.
      st.execute("set local statement_timeout = 0");
      try (ResultSet rs = st.executeQuery("select pg_export_snapshot()")) {
        rs.next();
        return new DumpSnapshot(connection, rs.getString(1));
      }
    }
  }

  String id() {
    return id;
  }

  /** server_version, e.g. "15.18 (Debian 15.18-0+deb12u1)". */
  String serverVersion() throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("show server_version")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Exact row counts of every user table ({@code schema.table}), in the dump's snapshot. */
  Map<String, Long> countRows() throws SQLException {
    List<String[]> tables = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery(
                """
                select n.nspname, c.relname
                  from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where c.relkind = 'r'
                   and n.nspname not in ('pg_catalog', 'information_schema')
                   and n.nspname not like 'pg\\_toast%'
                   and n.nspname not like 'pg\\_temp%'
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

  /** Row counts and the newest rows of the given tables, both in the dump's snapshot. */
  record Facts(Map<String, Long> rows, Map<String, String> newest) {}

  Facts facts(List<String> newestOf, String column) throws SQLException {
    return new Facts(countRows(), io.pgrunbooks.activities.postgres.NewestRows.of(connection, newestOf, column));
  }

  @Override
  public void close() throws SQLException {
    try {
      connection.rollback();
    } finally {
      connection.close();
    }
  }
}
