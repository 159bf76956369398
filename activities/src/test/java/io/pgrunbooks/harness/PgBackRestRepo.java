package io.pgrunbooks.harness;

import io.pgrunbooks.activities.targets.TargetConfig.PitrSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A pgBackRest stanza with a local posix repository in a temp directory, for one harness cluster:
 * create it, start the cluster with {@link #serverSettings()} (archive_command is pgBackRest's
 * archive-push), then {@link #attach} it. pgBackRest runs as the postgres OS user, like the server.
 */
public final class PgBackRestRepo implements AutoCloseable {
  private static final String OS_USER = "postgres";

  private final Path root;
  private final String stanza;

  private PgBackRestRepo(Path root, String stanza) {
    this.root = root;
    this.stanza = stanza;
  }

  /** A repository directory and the config path the archive_command names (written by {@link #attach}). */
  public static PgBackRestRepo create(String stanza) {
    try {
      Path root = Files.createTempDirectory("pgrb-pgbackrest-");
      for (String dir : List.of("repo", "log", "lock", "spool")) {
        Files.createDirectories(root.resolve(dir));
      }
      if (Processes.runningAsRoot()) {
        Processes.run(List.of("chown", "-R", OS_USER, root.toString()), null, Duration.ofSeconds(10));
      }
      return new PgBackRestRepo(root, stanza);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Server settings that archive every WAL segment into this stanza. */
  public Map<String, String> serverSettings() {
    return Map.of(
        "archive_mode", "on",
        // quoted for pg_ctl's -o, which goes through a shell
        "archive_command", "'pgbackrest --config=" + config() + " --stanza=" + stanza + " archive-push %p'");
  }

  /** Writes pgbackrest.conf for the cluster and creates the stanza. */
  public void attach(PostgresCluster cluster) {
    String conf =
        String.join(
            "\n",
            "[global]",
            "repo1-path=" + root.resolve("repo"),
            "repo1-retention-full=99",
            "log-path=" + root.resolve("log"),
            "lock-path=" + root.resolve("lock"),
            "spool-path=" + root.resolve("spool"),
            "log-level-console=warn",
            "log-level-file=detail",
            "start-fast=y",
            "compress-type=none",
            "",
            "[" + stanza + "]",
            "pg1-path=" + cluster.dataDirectory(),
            "pg1-port=" + cluster.port(),
            "pg1-socket-path=" + cluster.socketDirectory(),
            "");
    try {
      Files.writeString(config(), conf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (Processes.runningAsRoot()) {
      Processes.run(List.of("chown", OS_USER, config().toString()), null, Duration.ofSeconds(10));
    }
    run("stanza-create");
  }

  /** A full backup; returns its label. */
  public String fullBackup() {
    run("backup", "--type=full");
    String info = run("info");
    return info.lines().filter(l -> l.contains("full backup:")).reduce((a, b) -> b).orElseThrow().replaceAll(".*full backup: ", "").strip();
  }

  /** Switches to a new WAL segment and waits until the archiver has archived the old one. */
  public static void switchWalAndWait(PostgresCluster cluster) {
    try (Connection c = cluster.connect("postgres");
        Statement st = c.createStatement()) {
      String segment;
      try (ResultSet rs = st.executeQuery("select pg_walfile_name(pg_switch_wal())")) {
        rs.next();
        segment = rs.getString(1);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = st.executeQuery("select coalesce(last_archived_wal, '') from pg_stat_archiver")) {
          rs.next();
          String archived = rs.getString(1);
          if (archived.length() >= 24 && archived.substring(0, 24).compareTo(segment) >= 0) {
            return;
          }
        }
        Processes.sleep(200);
      }
      throw new IllegalStateException("segment " + segment + " was not archived within 60 s");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Makes archive-push fail (the archive becomes read-only for the postgres user) while reads such
   * as archive-get and info still work: the archive then ends where it is. {@code false} repairs it.
   */
  public void archiveWritable(boolean writable) {
    Processes.run(
        List.of("chmod", "-R", writable ? "u+w" : "a-w", root.resolve("repo/archive").toString()), null, Duration.ofSeconds(10));
  }

  /** Runs a pgbackrest command for the stanza as the postgres user; fails on a non-zero exit. */
  public String run(String command, String... options) {
    List<String> line = new ArrayList<>(List.of("pgbackrest", "--config=" + config(), "--stanza=" + stanza));
    line.addAll(List.of(options));
    line.add(command);
    return Processes.run(Processes.as(OS_USER, line), root, Duration.ofMinutes(5));
  }

  /** The target's pitr block, as a worker's configuration would say it. */
  public PitrSettings settings() {
    return new PitrSettings(stanza, config().toString(), null);
  }

  public Path config() {
    return root.resolve("pgbackrest.conf");
  }

  public String stanza() {
    return stanza;
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }
}
