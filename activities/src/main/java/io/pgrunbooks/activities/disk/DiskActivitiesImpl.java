package io.pgrunbooks.activities.disk;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.ConnectionTarget;
import io.pgrunbooks.activities.postgres.Identifiers;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.SqlFailures;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.serverfiles.LogSettings;
import io.pgrunbooks.activities.serverfiles.OldLogFiles;
import io.pgrunbooks.activities.serverfiles.ServerFileCommands;
import io.pgrunbooks.activities.serverfiles.ServerShell;
import io.pgrunbooks.activities.serverfiles.ServerShells;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.disk.BloatedTable;
import io.pgrunbooks.workflows.disk.DataVolume;
import io.pgrunbooks.workflows.disk.DiskActivities;
import io.pgrunbooks.workflows.disk.DiskBreakdown;
import io.pgrunbooks.workflows.disk.DiskCheck;
import io.pgrunbooks.workflows.disk.LogDeletion;
import io.pgrunbooks.workflows.disk.LogFile;
import io.pgrunbooks.workflows.disk.OldServerLogs;
import io.pgrunbooks.workflows.disk.ReplicationSlotRetention;
import io.pgrunbooks.workflows.disk.SizedEntry;
import io.pgrunbooks.workflows.disk.TableVacuum;
import io.pgrunbooks.workflows.disk.WalRetention;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/** Scenario 5 against the target's primary and the machine (or pod) holding its data directory. See {@link DiskActivities}. */
@Component
public class DiskActivitiesImpl implements DiskActivities {
  /** Tables listed per database, and in all. */
  static final int LARGEST_TABLES = 10;

  /**
   * How long VACUUM (FULL) waits for its table's lock: a long transaction holding the table would
   * otherwise make it queue, and every query of the table would queue behind it.
   */
  static final String LOCK_TIMEOUT = "10s";

  /** How often a running VACUUM heartbeats (the heartbeat timeout is 2 minutes). */
  static final long HEARTBEAT_SECONDS = 10;

  private final TargetRegistry targets;
  private final PostgresConnector connector;
  private final SecretResolver secrets;
  private final ClusterHostings hostings;
  private final ServerShells shells;
  private final DataVolumeClaims claims;

  public DiskActivitiesImpl(
      TargetRegistry targets, PostgresConnector connector, SecretResolver secrets, ClusterHostings hostings, ServerShells shells,
      Supplier<KubernetesClient> kubernetes) {
    this.targets = targets;
    this.connector = connector;
    this.secrets = secrets;
    this.hostings = hostings;
    this.shells = shells;
    this.claims = new DataVolumeClaims(kubernetes);
  }

  @Override
  public DiskBreakdown measureDiskUsage(String target) {
    TargetConfig config = targets.get(target);
    DiskCheck usage = df(config);
    List<SizedEntry> entries = ServerFileCommands.du(shells.of(config), config).entries().stream()
        .map(e -> new SizedEntry(e.name(), e.bytes())).toList();
    List<SizedEntry> databases = new ArrayList<>();
    try (Connection c = connector.open(config.primary());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "select datname, pg_database_size(oid) from pg_database where datallowconn order by 2 desc, 1")) {
      while (rs.next()) {
        databases.add(new SizedEntry(rs.getString(1), rs.getLong(2)));
      }
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
    return new DiskBreakdown(config.hosting(), usage, entries, databases);
  }

  @Override
  public WalRetention checkWalRetention(String target) {
    TargetConfig config = targets.get(target);
    try (Connection c = connector.open(config.primary()); Statement st = c.createStatement()) {
      int segments;
      long walBytes;
      try (ResultSet rs = st.executeQuery("select count(*), coalesce(sum(size), 0) from pg_ls_waldir()")) {
        rs.next();
        segments = rs.getInt(1);
        walBytes = rs.getLong(2);
      }
      int ready;
      try (ResultSet rs = st.executeQuery("select count(*) from pg_ls_archive_statusdir() where name like '%.ready'")) {
        rs.next();
        ready = rs.getInt(1);
      }
      List<ReplicationSlotRetention> slots = new ArrayList<>();
      try (ResultSet rs = st.executeQuery(
          """
          select slot_name, slot_type, database, active, wal_status,
                 coalesce(pg_wal_lsn_diff(
                   case when pg_is_in_recovery() then pg_last_wal_replay_lsn() else pg_current_wal_lsn() end,
                   restart_lsn), 0)::bigint
            from pg_replication_slots order by 6 desc, 1
          """)) {
        while (rs.next()) {
          slots.add(new ReplicationSlotRetention(
              rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getString(5), rs.getLong(6)));
        }
      }
      try (ResultSet rs = st.executeQuery(
          """
          select current_setting('archive_mode'), current_setting('archive_command'),
                 coalesce(current_setting('archive_library', true), ''),
                 archived_count, last_archived_wal, last_archived_time, failed_count, last_failed_wal, last_failed_time,
                 current_setting('wal_keep_size'), current_setting('max_wal_size'), current_setting('max_slot_wal_keep_size')
            from pg_stat_archiver
          """)) {
        rs.next();
        String mode = rs.getString(1);
        String command = rs.getString(2).isEmpty() && !rs.getString(3).isEmpty() ? "archive_library " + rs.getString(3) : rs.getString(2);
        OffsetDateTime lastArchived = rs.getObject(6, OffsetDateTime.class);
        long failed = rs.getLong(7);
        OffsetDateTime lastFailed = rs.getObject(9, OffsetDateTime.class);
        boolean stuck = !"off".equals(mode) && failed > 0 && lastFailed != null
            && (lastArchived == null || lastFailed.isAfter(lastArchived));
        return new WalRetention(
            segments, walBytes, ready, mode, command, rs.getLong(4), rs.getString(5), utc(lastArchived), failed,
            rs.getString(8), utc(lastFailed), stuck, slots, rs.getString(10), rs.getString(11), rs.getString(12));
      }
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  @Override
  public String dropReplicationSlot(String target, String slot) {
    TargetConfig config = targets.get(target);
    try (Connection c = connector.open(config.primary())) {
      c.setReadOnly(false);
      try (PreparedStatement st = c.prepareStatement("select active from pg_replication_slots where slot_name = ?")) {
        st.setString(1, slot);
        try (ResultSet rs = st.executeQuery()) {
          if (!rs.next()) {
            return "gone already (dropped, or an earlier attempt of this step dropped it)";
          }
          if (rs.getBoolean(1)) {
            return "active again (its consumer came back), left alone";
          }
        }
      }
      try (PreparedStatement st = c.prepareStatement("select pg_drop_replication_slot(?)")) {
        st.setString(1, slot);
        st.execute();
        return "dropped";
      } catch (SQLException e) {
        if ("55006".equals(e.getSQLState())) {
          return "active again (its consumer came back), left alone";
        }
        throw e;
      }
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  @Override
  public OldServerLogs findOldServerLogs(String target, int retentionDays) {
    if (retentionDays < 1) {
      throw ApplicationFailure.newNonRetryableFailure(
          "log retention must be at least 1 day, got " + retentionDays, "InvalidLogRetention");
    }
    TargetConfig config = targets.get(target);
    ServerShell shell = shells.of(config);
    LogSettings settings = logSettings(target, config, shell);
    Instant cutoff = Instant.now().minus(Duration.ofDays(retentionDays));
    OldLogFiles.Listing listing = OldLogFiles.find(shell, config, settings, cutoff);
    List<LogFile> files = listing.old().stream()
        .map(f -> new LogFile(f.name(), f.bytes(), Instant.ofEpochSecond(f.modifiedEpochSeconds()).toString())).toList();
    return new OldServerLogs(
        listing.directory(), listing.pattern(), retentionDays, cutoff.toString(), files, listing.others(), settings.collectorSetting());
  }

  /** Deletes exactly the approved files, each re-checked: of the approved pattern too, and unmodified since the approved cutoff. */
  @Override
  public LogDeletion deleteOldServerLogs(String target, OldServerLogs approved) {
    TargetConfig config = targets.get(target);
    ServerShell shell = shells.of(config);
    List<String> names = approved.files().stream().map(LogFile::name).toList();
    OldLogFiles.requireLogNames(names, Pattern.compile(approved.pattern()));
    OldLogFiles.Deletion deletion = OldLogFiles.delete(
        shell, config, logSettings(target, config, shell), approved.directory(), names, Instant.parse(approved.cutoff()));
    long freed = approved.files().stream().filter(f -> deletion.deleted().contains(f.name())).mapToLong(LogFile::bytes).sum();
    return new LogDeletion(deletion.deleted(), freed, deletion.skipped());
  }

  private LogSettings logSettings(String target, TargetConfig config, ServerShell shell) {
    try (Connection c = connector.open(config.primary())) {
      return LogSettings.query(c, shell.dataDirectory(config));
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  @Override
  public DataVolume describeDataVolume(String target, String expandTo) {
    return claims.describe(placement(target), expandTo);
  }

  @Override
  public DataVolume expandDataVolume(String target, String claim, String expandTo) {
    return claims.expand(placement(target), claim, expandTo);
  }

  private TargetConfig.KubernetesPlacement placement(String target) {
    TargetConfig config = targets.get(target);
    if (config.hosting() != Hosting.KUBERNETES || config.kubernetes() == null || config.kubernetes().namespace() == null
        || config.kubernetes().primaryPod() == null || config.kubernetes().dataDirectory() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the data volume is grown only on kubernetes targets with kubernetes.namespace, primaryPod and dataDirectory;"
              + " target " + target + " is " + config.hosting(), "NotApplicable");
    }
    return config.kubernetes();
  }

  @Override
  public List<BloatedTable> findLargestTables(String target) {
    TargetConfig config = targets.get(target);
    List<BloatedTable> tables = new ArrayList<>();
    for (String database : databases(config)) {
      try (Connection c = open(config, database);
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(
              """
              select schemaname, relname, pg_total_relation_size(relid), n_live_tup, n_dead_tup
                from pg_stat_user_tables order by 3 desc, 1, 2 limit %d
              """.formatted(LARGEST_TABLES))) {
        while (rs.next()) {
          tables.add(new BloatedTable(database, rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
        }
      } catch (SQLException e) {
        throw SqlFailures.of(e, target);
      }
    }
    tables.sort(Comparator.comparingLong(BloatedTable::totalBytes).reversed());
    return List.copyOf(tables.subList(0, Math.min(tables.size(), LARGEST_TABLES)));
  }

  @Override
  public List<TableVacuum> vacuumTables(String target, List<BloatedTable> tables, boolean full) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    // A retry resumes after the tables an earlier attempt finished (its heartbeat carries them).
    List<TableVacuum> done = new ArrayList<>(context.getHeartbeatDetails(TableVacuum[].class).map(List::of).orElse(List.of()));
    TargetConfig config = targets.get(target);
    for (int i = done.size(); i < tables.size(); i++) {
      BloatedTable t = tables.get(i);
      if (!databases(config).contains(t.database())) {
        throw ApplicationFailure.newNonRetryableFailure(
            "database " + t.database() + " is not one of target " + target + "'s " + databases(config) + ": nothing vacuumed", "InvalidTable");
      }
      done.add(vacuum(config, t, full, context, done));
      context.heartbeat(done.toArray(TableVacuum[]::new));
    }
    return done;
  }

  private TableVacuum vacuum(TargetConfig config, BloatedTable t, boolean full, ActivityExecutionContext context, List<TableVacuum> done) {
    String name = Identifiers.qualified(t.schema(), t.table());
    try (Connection c = open(config, t.database()); Statement st = c.createStatement()) {
      st.execute("set statement_timeout = 0");
      st.execute("set lock_timeout = '" + LOCK_TIMEOUT + "'");
      Long before = size(c, name);
      if (before == null) {
        return new TableVacuum(t.database(), t.schema(), t.table(), full, t.totalBytes(), t.totalBytes(), "gone (dropped or renamed since the listing)");
      }
      CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
        try {
          st.execute((full ? "vacuum (full, verbose false) " : "vacuum ") + name);
        } catch (SQLException e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      }, r -> Thread.ofVirtual().start(r));
      while (true) {
        try {
          running.get(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
          break;
        } catch (TimeoutException stillRunning) {
          try {
            context.heartbeat(done.toArray(TableVacuum[]::new));
          } catch (ActivityCompletionException cancelled) {
            st.cancel();
            throw cancelled;
          }
        } catch (ExecutionException e) {
          if (e.getCause() instanceof SQLException sql) {
            if ("55P03".equals(sql.getSQLState())) {
              return new TableVacuum(t.database(), t.schema(), t.table(), full, before, before,
                  "its lock was not granted within " + LOCK_TIMEOUT + " (a transaction is using the table): try again later");
            }
            throw sql;
          }
          throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          st.cancel();
          Thread.currentThread().interrupt();
          throw ApplicationFailure.newFailure("interrupted while vacuuming " + name, "Interrupted");
        }
      }
      Long after = size(c, name);
      return new TableVacuum(t.database(), t.schema(), t.table(), full, before, after == null ? before : after, null);
    } catch (SQLException e) {
      throw SqlFailures.of(e, config.primary().jdbcUrl());
    }
  }

  private static Long size(Connection c, String qualifiedName) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("select pg_total_relation_size(to_regclass(?))")) {
      st.setString(1, qualifiedName);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        long size = rs.getLong(1);
        return rs.wasNull() ? null : size;
      }
    }
  }

  @Override
  public DiskCheck recheckDisk(String target) {
    return df(targets.get(target));
  }

  private DiskCheck df(TargetConfig config) {
    StorageUsage u = hostings.of(config).diskUsage(config);
    double threshold = config.thresholds().diskWarnPercent();
    return new DiskCheck(u.path(), u.totalBytes(), u.usedBytes(), u.availableBytes(), u.percentUsed(), threshold, u.percentUsed() < threshold);
  }

  /** The target's databases, or the primary endpoint's own when it lists none. */
  private static List<String> databases(TargetConfig config) {
    return config.databases().isEmpty() ? List.of(ConnectionTarget.maintenanceDatabase(config.primary())) : config.databases();
  }

  private Connection open(TargetConfig config, String database) throws SQLException {
    return connector.open(
        ConnectionTarget.of(config.primary(), database, config.primary().user()), secrets.resolve(config.primary().passwordRef()));
  }

  private static String utc(OffsetDateTime time) {
    return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).toString();
  }
}
