package io.pgrunbooks.bench;

import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * A PostgreSQL cluster that outlives the benchmark: its data directory stays under
 * bench/target/backup-bench/pg, so the generated database (minutes to build) is reused by the next
 * run. Like the harness's cluster otherwise: initdb as the postgres user, scram-sha-256 over TCP on
 * loopback, the superuser password in a file. {@link #close()} stops the server, keeps the data.
 */
final class BenchCluster implements AutoCloseable {
  private static final String OS_USER = "postgres";

  private final Path root;
  private final Path data;
  private final Path passwordFile;
  private final Path bin = PostgresCluster.binDirectory();
  private final int port = Processes.freePort();
  private final Thread stopAtExit = new Thread(this::stopQuietly);
  private String password;
  private boolean running;

  private BenchCluster(Path root) {
    this.root = root;
    this.data = root.resolve("data");
    this.passwordFile = root.resolve("superuser-password");
  }

  /** Starts the cached cluster under {@code root}, creating it first if it is not there. */
  static BenchCluster start(Path root) {
    BenchCluster cluster = new BenchCluster(root);
    try {
      if (!Files.exists(cluster.data.resolve("PG_VERSION")) || !Files.exists(cluster.passwordFile)) {
        cluster.init();
      }
      cluster.password = Files.readString(cluster.passwordFile).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    cluster.stopLeftover();
    Runtime.getRuntime().addShutdownHook(cluster.stopAtExit);
    cluster.startServer();
    return cluster;
  }

  private void init() throws IOException {
    deleteTree(root);
    Files.createDirectories(root);
    Files.writeString(passwordFile, UUID.randomUUID().toString());
    if (Processes.runningAsRoot()) {
      Processes.run(List.of("chown", "-R", OS_USER, root.toString()), null, Duration.ofSeconds(10));
    }
    BenchStack.log("initdb " + data);
    Processes.run(
        Processes.as(OS_USER, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
            "--pwfile=" + passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
            "--locale=C", "--no-sync")),
        root, Duration.ofMinutes(2));
  }

  /** A server left running by a benchmark that was killed: stop it, its port is stale. */
  private void stopLeftover() {
    if (Files.exists(data.resolve("postmaster.pid"))) {
      try {
        pgCtl("stop", "-w", "-m", "fast");
      } catch (RuntimeException notRunning) {
        // a stale pid file; pg_ctl start copes with it
      }
    }
  }

  private void startServer() {
    List<String> options = new ArrayList<>();
    options.add("-p " + port);
    options.add("-k " + root);
    options.add("-c listen_addresses=127.0.0.1");
    options.add("-c fsync=off");
    options.add("-c synchronous_commit=off");
    options.add("-c wal_level=minimal");
    options.add("-c max_wal_senders=0");
    options.add("-c max_wal_size=8GB");
    options.add("-c checkpoint_timeout=1h");
    options.add("-c maintenance_work_mem=512MB");
    pgCtl("start", "-w", "-t", "120", "-l", root.resolve("server.log").toString(), "-o", String.join(" ", options));
    running = true;
  }

  private void pgCtl(String... args) {
    List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString()));
    command.addAll(List.of(args));
    Processes.run(Processes.as(OS_USER, command), root, Duration.ofMinutes(3));
  }

  int port() {
    return port;
  }

  Path dataDirectory() {
    return data;
  }

  Path binDirectory() {
    return bin;
  }

  String password() {
    return password;
  }

  String passwordRef() {
    return "file:" + passwordFile;
  }

  String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  Connection connect(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", password);
    return DriverManager.getConnection(jdbcUrl(database), p);
  }

  void execute(String database, String... statements) {
    try (Connection c = connect(database);
        Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Stops the server (pg_ctl stop -m fast); the data directory stays for the next run. */
  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(stopAtExit);
    } catch (IllegalStateException shuttingDown) {
      // running the hooks already
    }
  }

  private synchronized void stopQuietly() {
    if (!running) {
      return;
    }
    running = false;
    try {
      pgCtl("stop", "-w", "-m", "fast");
    } catch (RuntimeException e) {
      BenchStack.log("pg_ctl stop failed: " + e.getMessage());
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
