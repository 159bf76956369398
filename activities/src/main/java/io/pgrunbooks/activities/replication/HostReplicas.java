package io.pgrunbooks.activities.replication;

import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.host.PgCtl;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.SqlFailures;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.HostPlacement;
import io.pgrunbooks.activities.targets.TargetConfig.ReplicaPlacement;
import io.pgrunbooks.workflows.replication.Reinitialization;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Replicas on this machine, driven with pg_ctl and pg_basebackup as their OS user. */
final class HostReplicas implements ReplicaHosting {
  /** Configuration files that belong to the replica, not to the primary pg_basebackup copies. */
  private static final List<String> OWN_CONFIGURATION = List.of("postgresql.conf", "pg_hba.conf", "pg_ident.conf");

  /** Settings pg_basebackup -R writes; every other line of the replica's postgresql.auto.conf is kept. */
  private static final Set<String> WRITTEN_BY_BASEBACKUP = Set.of("primary_conninfo", "primary_slot_name");

  private final PostgresConnector connector;
  private final SecretResolver secrets;

  HostReplicas(PostgresConnector connector, SecretResolver secrets) {
    this.connector = connector;
    this.secrets = secrets;
  }

  @Override
  public Boolean serverRunning(TargetConfig target, Replica replica) {
    ReplicaPlacement p = replica.placement();
    if (p == null || p.dataDirectory() == null) {
      return null;
    }
    // pg_ctl status: 0 running, 3 not running, 4 no data directory.
    return OsCommand.run(p.osUser(), pgCtl(p, "status"), Duration.ofSeconds(30), null).ok();
  }

  @Override
  public String podUid(TargetConfig target, Replica replica) {
    return null;
  }

  @Override
  public boolean logSaysWalRemoved(TargetConfig target, Replica replica) {
    return latestLog(replica.placement()).map(HostReplicas::tail).map(ReplicaHosting::walRemoved).orElse(false);
  }

  @Override
  public String reinitializeBlocker(TargetConfig target, Replica replica) {
    return replica.placement() == null || replica.placement().dataDirectory() == null
        ? "no data directory is configured for it (replication.replicas[].data-directory)"
        : null;
  }

  @Override
  public String start(TargetConfig target, Replica replica, String podUid) {
    ReplicaPlacement p = requirePlacement(replica);
    if (Boolean.TRUE.equals(serverRunning(target, replica))) {
      return "replica " + replica.name() + " already runs (" + p.dataDirectory() + "): nothing started";
    }
    String log = startLog(p);
    OsCommand.Result start = OsCommand.run(
        p.osUser(), pgCtl(p, "start", "-w", "-t", "120", "-l", log), Duration.ofSeconds(150), null);
    if (!start.ok()) {
      throw ApplicationFailure.newFailure(
          "pg_ctl start of replica " + replica.name() + " failed: " + start.tail(3) + " (see " + log + ")", "StartFailed");
    }
    return "started replica " + replica.name() + " (pg_ctl start of " + p.dataDirectory() + ", log " + log + ")";
  }

  @Override
  public Reinitialization reinitialize(TargetConfig target, Replica replica, String stamp, Consumer<String> progress) {
    ReplicaPlacement p = requirePlacement(replica);
    if (stamp == null || !stamp.matches("\\d{8}T\\d{6}Z")) {
      throw Replica.invalid("stamp must be yyyyMMdd'T'HHmmss'Z', got " + stamp);
    }
    Path data = Path.of(p.dataDirectory());
    Path kept = Path.of(p.dataDirectory() + ".pre_reinit_" + stamp);
    List<String> done = new ArrayList<>();
    if (Files.exists(kept) && Boolean.TRUE.equals(serverRunning(target, replica))) {
      return new Reinitialization(replica.name(), kept.toString(),
          "already reinitialized by an earlier attempt: the old data directory is " + kept + " and the new copy runs");
    }
    // 1. Stop it (a fast shutdown; nothing when it is down).
    if (Boolean.TRUE.equals(serverRunning(target, replica))) {
      OsCommand.Result stop = OsCommand.run(p.osUser(), pgCtl(p, "stop", "-m", "fast", "-w", "-t", "300"), Duration.ofMinutes(6), progress);
      if (!stop.ok()) {
        throw ApplicationFailure.newFailure("pg_ctl stop of replica " + replica.name() + " failed: " + stop.tail(3), "StopFailed");
      }
      done.add("stopped it");
    }
    // 2. Move the data directory aside (kept); a partial copy of an earlier attempt is ours to remove.
    try {
      if (!Files.exists(kept)) {
        if (!Files.isDirectory(data)) {
          throw ApplicationFailure.newNonRetryableFailure(
              "replica " + replica.name() + "'s data directory " + data + " does not exist: nothing to keep, check the configuration",
              "InvalidTarget");
        }
        Files.move(data, kept);
        done.add("moved " + data + " to " + kept + " (kept)");
      } else if (Files.exists(data)) {
        removeTree(data);
        done.add("removed the partial copy of an earlier attempt from " + data + " (" + kept + " is kept)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // 3. Its slot: a lost one cannot be used again, so it is dropped and created anew by pg_basebackup -C.
    boolean createSlot = false;
    if (p.slot() != null) {
      createSlot = prepareSlot(target, p.slot(), done);
    }
    // 4. pg_basebackup -R -X stream from the primary.
    String[] hostPort = PostgresConnector.describe(target.primary()).split(":");
    String user = target.replication() != null && target.replication().user() != null ? target.replication().user() : target.primary().user();
    String passwordRef = target.replication() != null && target.replication().passwordRef() != null
        ? target.replication().passwordRef() : target.primary().passwordRef();
    String password = secrets.resolve(passwordRef);
    List<String> command = new ArrayList<>(List.of(
        PgCtl.binDirectory(host(p)).resolve("pg_basebackup").toString(), "-D", data.toString(), "-h", hostPort[0], "-p",
        hostPort.length > 1 ? hostPort[1] : "5432", "-U", user, "-d", "application_name=" + replica.name(),
        "-R", "-X", "stream", "-c", "fast", "--progress", "--verbose"));
    if (p.slot() != null) {
      command.addAll(List.of("-S", p.slot()));
      if (createSlot) {
        command.add("-C");
      }
    }
    OsCommand.Result copy = OsCommand.run(
        p.osUser(), command, password == null ? Map.of() : Map.of("PGPASSWORD", password), Duration.ofHours(12), progress);
    if (!copy.ok()) {
      throw ApplicationFailure.newFailure("pg_basebackup for replica " + replica.name() + " failed: " + copy.tail(3), "BaseBackupFailed");
    }
    done.add("pg_basebackup -R -X stream from " + hostPort[0] + ":" + (hostPort.length > 1 ? hostPort[1] : "5432") + " as " + user
        + (p.slot() == null ? "" : " with slot " + p.slot() + (createSlot ? " (created)" : "")) + " into " + data);
    // 5. Its own configuration back: port, memory, logging are the replica's, not the primary's.
    carryOverConfiguration(kept, data);
    done.add("carried its own configuration over from " + kept);
    // 6. Start it.
    done.add(start(target, replica, null));
    return new Reinitialization(replica.name(), kept.toString(), String.join("; ", done));
  }

  /** Drops the slot when it is lost (and nobody uses it); true when pg_basebackup must create it. */
  private boolean prepareSlot(TargetConfig target, String slot, List<String> done) {
    try (Connection c = connector.open(target.primary())) {
      c.setReadOnly(false);
      String status;
      boolean active;
      try (PreparedStatement st = c.prepareStatement("select wal_status, active from pg_replication_slots where slot_name = ?")) {
        st.setString(1, slot);
        try (ResultSet rs = st.executeQuery()) {
          if (!rs.next()) {
            return true;
          }
          status = rs.getString(1);
          active = rs.getBoolean(2);
        }
      }
      if (!"lost".equals(status)) {
        return false;
      }
      if (active) {
        throw ApplicationFailure.newFailure("slot " + slot + " is lost but still in use: the replica has not stopped yet", "SlotActive");
      }
      try (PreparedStatement st = c.prepareStatement("select pg_drop_replication_slot(?)")) {
        st.setString(1, slot);
        st.execute();
      }
      done.add("dropped the lost slot " + slot + " on the primary");
      return true;
    } catch (SQLException e) {
      throw SqlFailures.of(e, "primary");
    }
  }

  /** postgresql.conf, pg_hba.conf, pg_ident.conf from the kept directory; postgresql.auto.conf merged. */
  static void carryOverConfiguration(Path kept, Path data) {
    try {
      Path reference = data.resolve("PG_VERSION");
      for (String name : OWN_CONFIGURATION) {
        if (Files.isRegularFile(kept.resolve(name))) {
          Files.copy(kept.resolve(name), data.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          ownLike(data.resolve(name), reference);
        }
      }
      Path auto = data.resolve("postgresql.auto.conf");
      List<String> fresh = Files.exists(auto) ? Files.readAllLines(auto) : List.of();
      List<String> merged = new ArrayList<>();
      if (Files.exists(kept.resolve("postgresql.auto.conf"))) {
        Files.readAllLines(kept.resolve("postgresql.auto.conf")).stream()
            .filter(l -> !WRITTEN_BY_BASEBACKUP.contains(setting(l)))
            .forEach(merged::add);
      } else {
        fresh.stream().filter(l -> !WRITTEN_BY_BASEBACKUP.contains(setting(l))).forEach(merged::add);
      }
      fresh.stream().filter(l -> WRITTEN_BY_BASEBACKUP.contains(setting(l))).forEach(merged::add);
      Files.write(auto, merged);
      ownLike(auto, reference);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The setting a postgresql.auto.conf line sets ("" for comments). */
  private static String setting(String line) {
    String t = line.strip();
    int eq = t.indexOf('=');
    return t.startsWith("#") || eq < 0 ? "" : t.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
  }

  private static void ownLike(Path file, Path reference) throws IOException {
    if ("root".equals(System.getProperty("user.name"))) {
      Files.setOwner(file, Files.getOwner(reference));
    }
  }

  private static Optional<Path> latestLog(ReplicaPlacement p) {
    if (p == null || p.dataDirectory() == null) {
      return Optional.empty();
    }
    if (p.logFile() != null) {
      return Optional.of(Path.of(p.logFile())).filter(Files::isReadable);
    }
    List<Path> candidates = new ArrayList<>();
    Path start = Path.of(startLog(p));
    if (Files.isReadable(start)) {
      candidates.add(start);
    }
    Path logDir = Path.of(p.dataDirectory(), "log");
    if (Files.isDirectory(logDir)) {
      try (Stream<Path> files = Files.list(logDir)) {
        files.filter(Files::isRegularFile).forEach(candidates::add);
      } catch (IOException ignored) {
        // unreadable: no evidence from the log
      }
    }
    return candidates.stream().max(Comparator.comparingLong(HostReplicas::modified));
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  /** The last 64 KiB of a log. */
  private static String tail(Path file) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long from = Math.max(0, f.length() - 65536);
      byte[] bytes = new byte[(int) (f.length() - from)];
      f.seek(from);
      f.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  private static String startLog(ReplicaPlacement p) {
    return p.logFile() != null ? p.logFile() : Path.of(p.dataDirectory(), "pg-runbooks-start.log").toString();
  }

  private static ReplicaPlacement requirePlacement(Replica replica) {
    if (replica.placement() == null || replica.placement().dataDirectory() == null) {
      throw Replica.invalid("replica " + replica.name() + " has no data directory configured (replication.replicas[].data-directory)");
    }
    return replica.placement();
  }

  private static List<String> pgCtl(ReplicaPlacement p, String... args) {
    return PgCtl.command(host(p), args);
  }

  /** The replica as a host placement: its own data directory, bin directory and OS user. */
  private static HostPlacement host(ReplicaPlacement p) {
    return new HostPlacement(p.dataDirectory(), p.binDirectory(), p.osUser());
  }

  private static void removeTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
