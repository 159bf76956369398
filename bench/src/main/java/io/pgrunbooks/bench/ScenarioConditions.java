package io.pgrunbooks.bench;

import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.StreamingReplica;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The faults each repair scenario is for, made real on the benchmark's cluster before each of its
 * runs (untimed). Sessions are an application role's ({@code bench_app}, not a superuser: the
 * runbooks never end a superuser's session), opened by this JVM.
 */
final class ScenarioConditions {
  /** The demo cluster's settings: the server's own log files under log/ (Scenarios 1 and 5 read and clean them). */
  static final Map<String, String> SETTINGS = Map.of("logging_collector", "on", "log_directory", "log");
  static final String APP = "bench_app";
  private static final String APP_PASSWORD = "bench-app";
  static final int IDLE_SESSIONS = 15;
  static final int OLD_LOGS = 3;
  static final int REPLICA_ROWS = 5_000;

  private final PostgresCluster cluster;
  private final StreamingReplica replica;
  private long nextRow = 1;
  private int oldLogRound;

  ScenarioConditions(PostgresCluster cluster, StreamingReplica replica) {
    this.cluster = cluster;
    this.replica = replica;
  }

  /** The role, the lock table and the replicated table; called once before the replica is copied. */
  static void setUp(PostgresCluster cluster) {
    cluster.execute("postgres",
        "create role " + APP + " login password '" + APP_PASSWORD + "'",
        "create table bench_locks (id int primary key, n int not null)",
        "insert into bench_locks values (1, 0)",
        "grant select, update on bench_locks to " + APP,
        "create table bench_events (id bigint primary key, at timestamptz not null default now())");
  }

  /** Sessions held open by this JVM; closing ends them (the runbook may have ended some already). */
  static final class Sessions implements AutoCloseable {
    private final List<Connection> connections = new ArrayList<>();
    private final List<CompletableFuture<Void>> statements = new ArrayList<>();

    @Override
    public void close() {
      for (Connection c : connections) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // terminated by the runbook
        }
      }
      for (CompletableFuture<Void> s : statements) {
        s.join();
      }
    }
  }

  /** Scenario 2: {@value #IDLE_SESSIONS} idle sessions of the application. */
  Sessions idleSessions() throws SQLException {
    Sessions s = new Sessions();
    for (int i = 0; i < IDLE_SESSIONS; i++) {
      Connection c = app();
      try (Statement st = c.createStatement()) {
        st.execute("select 1");
      }
      s.connections.add(c);
    }
    return s;
  }

  /**
   * Scenario 4: a pg_sleep(60) running (over 1 s by the time the run starts), and a session idle in
   * a transaction holding a row lock that another session waits for.
   */
  Sessions slowQueryAndBlocker() throws SQLException {
    Sessions s = new Sessions();
    Connection sleeper = app();
    Connection blocker = app();
    Connection waiter = app();
    s.connections.addAll(List.of(sleeper, blocker, waiter));
    s.statements.add(background(sleeper, "select pg_sleep(60)"));
    blocker.setAutoCommit(false);
    try (Statement st = blocker.createStatement()) {
      st.execute("update bench_locks set n = n + 1 where id = 1");
    }
    s.statements.add(background(waiter, "update bench_locks set n = n + 1 where id = 1"));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!slowAndBlocked()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the slow query and the lock wait did not show in pg_stat_activity");
      }
      Processes.sleep(50);
    }
    return s;
  }

  private boolean slowAndBlocked() throws SQLException {
    try (Connection c = cluster.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "select count(*) filter (where query like 'select pg_sleep%' and now() - query_start > interval '1.2 s'),"
                + " count(*) filter (where wait_event_type = 'Lock')"
                + " from pg_stat_activity where usename = '" + APP + "'")) {
      rs.next();
      return rs.getInt(1) == 1 && rs.getInt(2) == 1;
    }
  }

  private static CompletableFuture<Void> background(Connection c, String sql) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread.ofPlatform().daemon().start(() -> {
      try (Statement st = c.createStatement()) {
        st.execute(sql);
      } catch (SQLException expected) {
        // cancelled or terminated by the runbook
      }
      done.complete(null);
    });
    return done;
  }

  /**
   * Scenario 5: {@value #OLD_LOGS} server log files of 1 MiB under log_directory, named as the
   * server names them (log_filename's default) and last modified 30 days ago.
   */
  void oldServerLogs() {
    Path logs = cluster.dataDirectory().resolve("log");
    oldLogRound++;
    try {
      for (int i = 1; i <= OLD_LOGS; i++) {
        Path file = logs.resolve(String.format("postgresql-2020-%02d-%02d_000000.log", 1 + oldLogRound % 12, i));
        Files.write(file, new byte[1 << 20]);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
        Processes.run(List.of("chown", "postgres", file.toString()), null, Duration.ofSeconds(10));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Old server logs still there (a run that deleted nothing leaves them for the next scenario): removed. */
  void removeOldServerLogs() {
    try (Stream<Path> files = Files.list(cluster.dataDirectory().resolve("log"))) {
      for (Path f : files.toList()) {
        if (f.getFileName().toString().startsWith("postgresql-2020-")) {
          Files.delete(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Scenario 1: the postmaster SIGKILLed while a client is connected (so the backend logs why it
   * ends), once it is reaped and the server refuses connections.
   */
  void crash() throws Exception {
    ensureUp();
    long pid = cluster.postmasterPid();
    try (Connection client = cluster.connect("postgres")) {
      Processes.signal(pid, "KILL");
      try (Statement st = client.createStatement()) {
        Processes.sleep(200);
        st.execute("select 1");
      } catch (SQLException expected) {
        // the backend ended with the postmaster
      }
    }
    for (int i = 0; i < 600 && Files.exists(Path.of("/proc/" + pid)); i++) {
      Processes.sleep(50);
    }
    if (Files.exists(Path.of("/proc/" + pid)) || accepting()) {
      throw new IllegalStateException("the killed postmaster " + pid + " is still there");
    }
  }

  /** After a run that did not bring the server back: started as the harness starts it (untimed). */
  void ensureUp() {
    if (!accepting()) {
      BenchStack.log("the server is down: starting it again");
      cluster.restart(SETTINGS);
    }
  }

  boolean accepting() {
    try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement()) {
      st.execute("select 1");
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** Scenario 3: the replica stopped (pg_ctl stop -m fast), then {@value #REPLICA_ROWS} rows written to the primary. */
  void replicaBehind() {
    ensureUp();
    if (!replica.running()) {
      replica.start();
    }
    replica.awaitStreaming(Duration.ofSeconds(60));
    replica.stop();
    cluster.execute("postgres", "insert into bench_events (id) select g from generate_series(" + nextRow + ", "
        + (nextRow + REPLICA_ROWS - 1) + ") g");
    nextRow += REPLICA_ROWS;
  }

  private Connection app() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", APP);
    p.setProperty("password", APP_PASSWORD);
    p.setProperty("ApplicationName", "bench-app");
    return DriverManager.getConnection(cluster.jdbcUrl("postgres"), p);
  }
}
