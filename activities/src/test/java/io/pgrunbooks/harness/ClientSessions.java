package io.pgrunbooks.harness;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/** Client sessions of a test cluster that a runbook should see: idle, busy, holding and waiting for locks. */
public final class ClientSessions implements AutoCloseable {
  private final PostgresCluster cluster;
  private final List<Connection> held = new ArrayList<>();
  private final List<CompletableFuture<Void>> running = new ArrayList<>();

  public ClientSessions(PostgresCluster cluster) {
    this.cluster = cluster;
  }

  /** A session of {@code user} (password = user name, superuser postgres: the cluster's) in {@code database}. */
  public Connection open(String user, String database, String application) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", "postgres".equals(user) ? cluster.password() : user);
    p.setProperty("ApplicationName", application);
    Connection c = DriverManager.getConnection(cluster.jdbcUrl(database), p);
    held.add(c);
    return c;
  }

  /** Runs {@code sql} on the session in a thread of its own (it may block); errors after close are expected. */
  public void startRunning(Connection c, String sql) {
    running.add(CompletableFuture.runAsync(() -> {
      try (Statement st = c.createStatement()) {
        st.execute(sql);
      } catch (SQLException e) {
        // cancelled or disconnected at the end of the test
      }
    }, r -> Thread.ofPlatform().daemon().start(r)));
  }

  public static int pid(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Polls pg_stat_activity until {@code pid} waits for a lock. */
  public void awaitLockWait(int pid) throws Exception {
    awaitState(pid, "select wait_event_type = 'Lock' from pg_stat_activity where pid = ");
  }

  /** Polls pg_stat_activity until {@code pid} is active. */
  public void awaitActive(int pid) throws Exception {
    awaitState(pid, "select state = 'active' from pg_stat_activity where pid = ");
  }

  private void awaitState(int pid, String query) throws Exception {
    awaitTrue("postgres", query + pid);
  }

  /**
   * Polls {@code query} (one boolean) in {@code database} until it is true, at most 10 s: e.g. until
   * the statistics show a change (before PostgreSQL 15 the collector reports it up to 500 ms later).
   */
  public void awaitTrue(String database, String query) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (Connection c = cluster.connect(database);
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(query)) {
        if (rs.next() && rs.getBoolean(1)) {
          return;
        }
      }
      Thread.sleep(25);
    }
    throw new AssertionError("not true within 10 s in " + database + ": " + query);
  }

  @Override
  public void close() throws SQLException {
    cluster.execute("postgres",
        "select pg_terminate_backend(pid) from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()");
    for (Connection c : held) {
      c.close();
    }
    running.forEach(CompletableFuture::join);
  }
}
