package io.pgrunbooks.harness;

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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A real PostgreSQL cluster: its own initdb in a temp directory, on a free loopback port, with
 * scram-sha-256 over TCP and a random superuser password kept in a file (so tests exercise {@code
 * file:} secret references). Stopped and removed by {@link #close()} or at JVM exit.
 */
public final class PostgresCluster implements AutoCloseable {
  private static final String OS_USER = "postgres";

  private final Path root;
  private final Path dataDirectory;
  private final Path passwordFile;
  private final Path binDirectory;
  private final int port;
  private final String password = UUID.randomUUID().toString();
  private final Thread cleanup = new Thread(this::destroyQuietly);

  private PostgresCluster(Path root, Path binDirectory, int port) {
    this.root = root;
    this.dataDirectory = root.resolve("data");
    this.passwordFile = root.resolve("superuser-password");
    this.binDirectory = binDirectory;
    this.port = port;
  }

  /** initdb and start a cluster with extra server settings (e.g. max_connections). */
  public static PostgresCluster start(String name, Map<String, String> settings) {
    return start(name, binDirectory(), settings, null);
  }

  /** The same, with the cluster's directory (data directory included) made inside {@code parent} (null: the temp directory). */
  public static PostgresCluster start(String name, Map<String, String> settings, Path parent) {
    return start(name, binDirectory(), settings, parent);
  }

  /**
   * The same with the server binaries of {@code binDirectory}, e.g. another major version from
   * {@link PostgresVersions#binDirectory(int)}.
   */
  public static PostgresCluster start(String name, Path binDirectory, Map<String, String> settings) {
    return start(name, binDirectory, settings, null);
  }

  private static PostgresCluster start(String name, Path binDirectory, Map<String, String> settings, Path parent) {
    try {
      Path root = parent == null
          ? Files.createTempDirectory("pgrb-" + name + "-")
          : Files.createTempDirectory(parent, "pgrb-" + name + "-");
      PostgresCluster cluster = new PostgresCluster(root, binDirectory, Processes.freePort());
      Runtime.getRuntime().addShutdownHook(cluster.cleanup);
      cluster.init();
      cluster.start(settings);
      return cluster;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The newest /usr/lib/postgresql/N/bin, or $PG_BIN. */
  public static Path binDirectory() {
    String env = System.getenv("PG_BIN");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
          .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())))
          .map(p -> p.resolve("bin"))
          .orElseThrow();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install postgresql-15", e);
    }
  }

  private void init() throws IOException {
    Files.writeString(passwordFile, password);
    if (Processes.runningAsRoot()) {
      Processes.run(List.of("chown", "-R", OS_USER, root.toString()), null, Duration.ofSeconds(10));
    }
    Processes.run(
        Processes.as(
            OS_USER,
            List.of(
                binDirectory.resolve("initdb").toString(),
                "-D", dataDirectory.toString(),
                "-U", "postgres",
                "--pwfile=" + passwordFile,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E", "UTF8",
                "--no-sync")),
        root,
        Duration.ofMinutes(2));
  }

  private void start(Map<String, String> settings) {
    List<String> options = new ArrayList<>();
    options.add("-p " + port);
    options.add("-k " + root);
    options.add("-c listen_addresses=127.0.0.1");
    options.add("-c fsync=off");
    settings.forEach((k, v) -> options.add("-c " + k + "=" + v));
    pgCtl("start", "-w", "-t", "60", "-l", root.resolve("server.log").toString(), "-o", String.join(" ", options));
  }

  /** pg_ctl stop -m fast: the database is down, its data intact. */
  public void stop() {
    pgCtl("stop", "-w", "-m", "fast");
  }

  /** Starts the cluster again after {@link #stop()} with its first settings. */
  public void restart(Map<String, String> settings) {
    start(settings);
  }

  /** Process id of the postmaster (first line of postmaster.pid). */
  public long postmasterPid() {
    try {
      return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void pgCtl(String... args) {
    List<String> command = new ArrayList<>(List.of(binDirectory.resolve("pg_ctl").toString(), "-D", dataDirectory.toString()));
    command.addAll(List.of(args));
    Processes.run(Processes.as(OS_USER, command), root, Duration.ofMinutes(2));
  }

  public int port() {
    return port;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** Where the server's Unix socket is (and the directory holding the cluster). */
  public Path socketDirectory() {
    return root;
  }

  public Path binDir() {
    return binDirectory;
  }

  /** The password as a secret reference, as a target's configuration would hold it. */
  public String passwordRef() {
    return "file:" + passwordFile;
  }

  public String password() {
    return password;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** A superuser connection to a database of the cluster. */
  public Connection connect(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", password);
    return DriverManager.getConnection(jdbcUrl(database), p);
  }

  /** Runs SQL statements in the given database, each in its own implicit transaction. */
  public void execute(String database, String... statements) {
    try (Connection c = connect(database);
        Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    destroyQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // already running the hooks
    }
  }

  private void destroyQuietly() {
    try {
      if (Files.exists(dataDirectory.resolve("postmaster.pid"))) {
        try {
          Processes.signal(postmasterPid(), "CONT"); // a test may have left it stopped
        } catch (RuntimeException ignored) {
          // not running
        }
        pgCtl("stop", "-w", "-m", "immediate");
      }
    } catch (RuntimeException ignored) {
      // best effort
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }
}
