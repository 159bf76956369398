package io.pgrunbooks.harness;

import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetConfig.ReplicaPlacement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A streaming replica of a {@link PostgresCluster}: pg_basebackup -R -X stream (or, where the
 * primary's bin directory has none, the same made with the backup functions) into its own temp
 * directory, its own port and socket directory written into its postgresql.auto.conf (so a plain
 * {@code pg_ctl start}, as the runbook does, brings it up as it was), application_name = its
 * name, started as the postgres OS user. Removed by {@link #close()} or at JVM exit, together with
 * any directory a reinitialization kept beside its data directory.
 */
public final class StreamingReplica implements AutoCloseable {
  private static final String OS_USER = "postgres";

  private final PostgresCluster primary;
  private final String name;
  private final String slot;
  private final Path root;
  private final Path dataDirectory;
  private final int port = Processes.freePort();
  private final Thread cleanup = new Thread(this::destroyQuietly);

  private StreamingReplica(PostgresCluster primary, String name, String slot, Path root) {
    this.primary = primary;
    this.name = name;
    this.slot = slot;
    this.root = root;
    this.dataDirectory = root.resolve("data");
  }

  /** Copies the primary and starts the replica; {@code slot} non-null: streams from that slot (created). */
  public static StreamingReplica start(PostgresCluster primary, String name, String slot) {
    try {
      Path root = Files.createTempDirectory("pgrb-replica-" + name + "-");
      StreamingReplica replica = new StreamingReplica(primary, name, slot, root);
      Runtime.getRuntime().addShutdownHook(replica.cleanup);
      if (Processes.runningAsRoot()) {
        Processes.run(List.of("chown", "-R", OS_USER, root.toString()), null, Duration.ofSeconds(10));
      }
      replica.baseBackup();
      replica.start();
      replica.awaitStreaming(Duration.ofSeconds(30));
      return replica;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void baseBackup() throws IOException {
    if (!Files.isExecutable(primary.binDir().resolve("pg_basebackup"))) {
      copyWithBackupFunctions();
      appendOwnSettings();
      return;
    }
    List<String> command = new ArrayList<>(List.of(
        primary.binDir().resolve("pg_basebackup").toString(), "-D", dataDirectory.toString(), "-h", "127.0.0.1",
        "-p", Integer.toString(primary.port()), "-U", "postgres", "-d", "application_name=" + name,
        "-R", "-X", "stream", "-c", "fast", "--no-sync"));
    if (slot != null) {
      command.addAll(List.of("-C", "-S", slot));
    }
    ProcessBuilder pb = new ProcessBuilder(Processes.as(OS_USER, command)).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", primary.password());
    pb.directory(root.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("pg_basebackup failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    appendOwnSettings();
  }

  /**
   * What pg_basebackup -R -X stream does, for bin directories without it (zonky's bundles hold only
   * initdb, pg_ctl and postgres): the low-level backup functions around a copy of the data
   * directory (pg_start_backup/pg_stop_backup before 15, pg_backup_start/pg_backup_stop since),
   * the backup_label they return, an empty pg_wal (the standby streams what it needs), a
   * standby.signal and primary_conninfo. The slot, if any, is created first so it keeps that WAL.
   */
  private void copyWithBackupFunctions() throws IOException {
    try (Connection c = primary.connect("postgres"); Statement st = c.createStatement()) {
      boolean newNames = c.getMetaData().getDatabaseMajorVersion() >= 15;
      if (slot != null) {
        st.execute("select pg_create_physical_replication_slot('" + slot + "', true)");
      }
      st.execute(newNames ? "select pg_backup_start('" + name + "', true)" : "select pg_start_backup('" + name + "', true, false)");
      Processes.run(Processes.as(OS_USER, List.of("cp", "-a", primary.dataDirectory().toString(), dataDirectory.toString())),
          root, Duration.ofMinutes(2));
      try (ResultSet rs = st.executeQuery(newNames
          ? "select labelfile from pg_backup_stop(true)" : "select labelfile from pg_stop_backup(false, true)")) {
        rs.next();
        Files.writeString(dataDirectory.resolve("backup_label"), rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    for (String left : List.of("postmaster.pid", "postmaster.opts")) {
      Files.deleteIfExists(dataDirectory.resolve(left));
    }
    try (Stream<Path> files = Files.list(dataDirectory.resolve("pg_wal"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.delete(f);
      }
    }
    Files.writeString(dataDirectory.resolve("standby.signal"), "");
    Files.writeString(dataDirectory.resolve("postgresql.auto.conf"), String.join("\n",
        "",
        "primary_conninfo = 'host=127.0.0.1 port=" + primary.port() + " user=postgres password=" + primary.password()
            + " application_name=" + name + "'",
        slot == null ? "" : "primary_slot_name = '" + slot + "'",
        ""), StandardOpenOption.APPEND);
    if (Processes.runningAsRoot()) {
      Processes.run(List.of("chown", "-R", OS_USER, dataDirectory.toString()), null, Duration.ofSeconds(30));
    }
  }

  /** Its own port, socket directory and name, so a plain pg_ctl start brings it up as it was. */
  private void appendOwnSettings() throws IOException {
    Files.writeString(dataDirectory.resolve("postgresql.auto.conf"), String.join("\n",
        "",
        "port = " + port,
        "unix_socket_directories = '" + root + "'",
        "listen_addresses = '127.0.0.1'",
        "cluster_name = '" + name + "'",
        "fsync = off",
        "hot_standby = on",
        ""), StandardOpenOption.APPEND);
  }

  /** pg_ctl start, as the runbook's host hosting does it (settings from postgresql.auto.conf). */
  public void start() {
    pgCtl("start", "-w", "-t", "60", "-l", root.resolve("server.log").toString());
  }

  /** pg_ctl stop -m fast: the replica is down, its data intact. */
  public void stop() {
    pgCtl("stop", "-w", "-m", "fast");
  }

  public boolean running() {
    try {
      pgCtl("status");
      return true;
    } catch (IllegalStateException notRunning) {
      return false;
    }
  }

  /** Waits until the primary's pg_stat_replication shows it streaming. */
  public void awaitStreaming(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = primary.connect("postgres");
          var st = c.prepareStatement("select 1 from pg_stat_replication where application_name = ? and state = 'streaming'")) {
        st.setString(1, name);
        if (st.executeQuery().next()) {
          return;
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      Processes.sleep(100);
    }
    throw new IllegalStateException("replica " + name + " does not stream after " + timeout);
  }

  private void pgCtl(String... args) {
    List<String> command = new ArrayList<>(List.of(primary.binDir().resolve("pg_ctl").toString(), "-D", dataDirectory.toString()));
    command.addAll(List.of(args));
    Processes.run(Processes.as(OS_USER, command), root, Duration.ofMinutes(2));
  }

  public String name() {
    return name;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** Directories a reinitialization kept beside the data directory. */
  public List<Path> keptDirectories() {
    try (Stream<Path> files = Files.list(root)) {
      return files.filter(p -> p.getFileName().toString().startsWith("data.pre_reinit_")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Endpoint endpoint() {
    return new Endpoint(jdbcUrl(), "postgres", primary.passwordRef());
  }

  /** Where it runs, as a target's replication.replicas entry says it. */
  public ReplicaPlacement placement() {
    return new ReplicaPlacement(name, null, slot, dataDirectory.toString(), primary.binDir().toString(), OS_USER, null, null, null);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** A superuser connection to one of its databases (read-only: it is a standby). */
  public Connection connect(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", primary.password());
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
  }

  @Override
  public void close() {
    destroyQuietly();
    if (!Thread.currentThread().equals(cleanup)) {
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting: the hook runs anyway
      }
    }
  }

  private void destroyQuietly() {
    try {
      if (Files.exists(dataDirectory.resolve("postmaster.pid"))) {
        pgCtl("stop", "-w", "-m", "immediate");
      }
    } catch (RuntimeException ignored) {
      // best effort
    }
    Processes.removeTree(root);
  }
}
