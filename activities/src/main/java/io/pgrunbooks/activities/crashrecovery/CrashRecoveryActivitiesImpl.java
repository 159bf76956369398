package io.pgrunbooks.activities.crashrecovery;

import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.ReadinessProbe;
import io.pgrunbooks.activities.postgres.SqlFailures;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.assessment.Readiness;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.crashrecovery.CrashRecoveryActivities;
import io.pgrunbooks.workflows.crashrecovery.DiskEntry;
import io.pgrunbooks.workflows.crashrecovery.DiskUsage;
import io.pgrunbooks.workflows.crashrecovery.LogCleanup;
import io.pgrunbooks.workflows.crashrecovery.LogFile;
import io.pgrunbooks.workflows.crashrecovery.NodeResources;
import io.pgrunbooks.workflows.crashrecovery.OldLogs;
import io.pgrunbooks.workflows.crashrecovery.RecoveryCheck;
import io.pgrunbooks.workflows.crashrecovery.RestartOutcome;
import io.pgrunbooks.workflows.crashrecovery.ServerLogs;
import io.pgrunbooks.workflows.crashrecovery.ServerState;
import io.pgrunbooks.workflows.crashrecovery.VolumeState;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Scenario 1 against a target, on either hosting. The old-log steps never look beyond the
 * server's own log directory (the seed's {@code find /var/lib/postgresql/data -name "*.log" -mtime
 * +7 -delete} walks the whole data directory and deletes any "*.log" there).
 */
@Component
public class CrashRecoveryActivitiesImpl implements CrashRecoveryActivities {
  private final TargetRegistry targets;
  private final PostgresConnector connector;
  private final ReadinessProbe readiness;
  private final ClusterHostings clusterHostings;
  private final Map<Hosting, CrashRecoveryHosting> hostings = new EnumMap<>(Hosting.class);

  CrashRecoveryActivitiesImpl(
      TargetRegistry targets, PostgresConnector connector, ReadinessProbe readiness, ClusterHostings clusterHostings,
      List<CrashRecoveryHosting> hostings) {
    this.targets = targets;
    this.connector = connector;
    this.readiness = readiness;
    this.clusterHostings = clusterHostings;
    hostings.forEach(h -> this.hostings.put(h.hosting(), h));
  }

  @Override
  public ServerState describeServer(String target) {
    TargetConfig config = targets.get(target);
    return hosting(config).describeServer(config);
  }

  @Override
  public ServerLogs readServerLogs(String target) {
    TargetConfig config = targets.get(target);
    List<String> notes = new ArrayList<>();
    LogSettings settings = logSettings(config, notes);
    ServerLogs logs = hosting(config).readServerLogs(config, settings);
    notes.addAll(logs.notes());
    return new ServerLogs(logs.sources(), logs.previous(), logs.current(), logs.fatal(), notes);
  }

  @Override
  public VolumeState checkVolume(String target, String claim) {
    TargetConfig config = targets.get(target);
    VolumeState claimed = hosting(config).describeClaim(config, claim);
    List<String> notes = new ArrayList<>(claimed.notes());
    StorageUsage fs = null;
    try {
      fs = clusterHostings.of(config).diskUsage(config);
    } catch (RuntimeException e) {
      notes.add("df of the data directory failed: " + e.getMessage());
    }
    double critical = config.thresholds().diskCriticalPercent();
    boolean full = fs != null && (fs.percentUsed() >= critical || fs.availableBytes() == 0);
    return new VolumeState(
        claimed.claim(), claimed.phase(), claimed.capacity(), claimed.requested(), claimed.storageClass(), claimed.conditions(), fs,
        full, notes);
  }

  @Override
  public DiskUsage checkDataDirectorySpace(String target) {
    TargetConfig config = targets.get(target);
    CrashRecoveryHosting hosting = hosting(config);
    String dir = stripSlash(hosting.dataDirectory(config));
    OsCommand.Result du;
    try {
      du = hosting.run(config, ServerFiles.du(dir));
    } catch (RuntimeException e) {
      return new DiskUsage(dir, 0, List.of(), "du failed: " + e.getMessage());
    }
    List<DiskEntry> all = ServerFiles.parseDu(dir, du.stdout());
    long total = all.stream().filter(e -> stripSlash(e.path()).equals(dir)).mapToLong(DiskEntry::bytes).findFirst().orElse(0);
    List<DiskEntry> entries = all.stream().filter(e -> !stripSlash(e.path()).equals(dir)).limit(20).toList();
    // du exits 1 when a subdirectory is unreadable but still sizes the rest.
    String note = all.isEmpty() ? "du printed nothing: " + du.tail(3) : null;
    return new DiskUsage(dir, total, entries, note);
  }

  @Override
  public NodeResources checkNodeResources(String target, String node) {
    TargetConfig config = targets.get(target);
    return hosting(config).describeNode(config, node);
  }

  @Override
  public OldLogs findOldLogs(String target, int retentionDays) {
    requireRetention(retentionDays);
    TargetConfig config = targets.get(target);
    List<String> notes = new ArrayList<>();
    LogSettings settings = logSettings(config, notes);
    if (settings == null) {
      return new OldLogs(null, null, List.of(), String.join("; ", notes));
    }
    String pattern = ServerFiles.fileNamePattern(settings.filename()).pattern();
    if (!settings.collector()) {
      return new OldLogs(settings.directory(), pattern, List.of(),
          "logging_collector is off: the server writes no log files of its own (its output goes to the container's or service's log)");
    }
    OsCommand.Result listed;
    try {
      listed = hosting(config).run(config, ServerFiles.statFiles(settings.directory()));
    } catch (RuntimeException e) {
      return new OldLogs(settings.directory(), pattern, List.of(), "cannot list " + settings.directory() + ": " + e.getMessage());
    }
    if (!listed.ok()) {
      return new OldLogs(settings.directory(), pattern, List.of(), "cannot list " + settings.directory() + ": " + listed.tail(3));
    }
    List<LogFile> old = ServerFiles.oldLogs(
        ServerFiles.parseStat(listed.stdout()), settings.filename(), retentionDays, System.currentTimeMillis() / 1000);
    return new OldLogs(settings.directory(), pattern, old, null);
  }

  @Override
  public RestartOutcome restartDatabase(String target, String identityBefore) {
    TargetConfig config = targets.get(target);
    Consumer<String> heartbeat = detail -> Activity.getExecutionContext().heartbeat(detail);
    return hosting(config).restart(config, identityBefore, () -> readiness.probe(config.primary()).accepting(), heartbeat);
  }

  @Override
  public LogCleanup deleteOldLogs(String target, String directory, List<LogFile> approved, int retentionDays) {
    requireRetention(retentionDays);
    TargetConfig config = targets.get(target);
    List<String> notes = new ArrayList<>();
    LogSettings settings = logSettings(config, notes);
    if (settings == null || !settings.directory().equals(directory)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "log files are deleted only from the server's log directory" + (settings == null ? " (unknown: " + String.join("; ", notes) + ")"
              : " " + settings.directory()) + ", not " + directory + "; nothing was deleted", "NotTheLogDirectory");
    }
    var names = ServerFiles.fileNamePattern(settings.filename());
    CrashRecoveryHosting hosting = hosting(config);
    OsCommand.Result listed = hosting.run(config, ServerFiles.statFiles(directory));
    Set<String> present = ServerFiles.parseStat(listed.stdout()).stream().map(ServerFiles.Stat::name).collect(Collectors.toSet());
    List<String> deleted = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    long freed = 0;
    for (LogFile file : approved) {
      if (!names.matcher(file.name()).matches()) {
        skipped.add(file.name() + ": not a server log file name (" + settings.filename() + "), left alone");
        continue;
      }
      if (!present.contains(file.name())) {
        skipped.add(file.name() + ": gone already (deleted by an earlier attempt of this step, or by someone else)");
        continue;
      }
      OsCommand.Result result = hosting.run(config, ServerFiles.deleteIfOlder(directory, file.name(), retentionDays));
      if (result.ok() && !result.stdout().isBlank()) {
        deleted.add(file.name());
        freed += file.bytes();
      } else {
        skipped.add(file.name() + ": written to since it was listed (or not deletable: " + result.tail(1) + "), left alone");
      }
    }
    return new LogCleanup(deleted, skipped, freed);
  }

  @Override
  public RecoveryCheck recheckServer(String target) {
    TargetConfig config = targets.get(target);
    Readiness ready = readiness.probe(config.primary());
    Boolean podReady = hosting(config).podReady(config);
    Double disk = null;
    try {
      disk = clusterHostings.of(config).diskUsage(config).percentUsed();
    } catch (RuntimeException e) {
      // a pod that is not running cannot be exec'ed into: the disk is then unknown
    }
    return new RecoveryCheck(ready, podReady, disk);
  }

  /**
   * log_directory, log_filename and logging_collector: from the running server, else from its
   * configuration files ({@code postgres -C}); null (with a note) when neither answers.
   */
  private LogSettings logSettings(TargetConfig config, List<String> notes) {
    CrashRecoveryHosting hosting = hosting(config);
    if (readiness.probe(config.primary()).accepting()) {
      try (Connection c = connector.open(config.primary());
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(
              "select current_setting('data_directory'), current_setting('log_directory'), current_setting('log_filename'),"
                  + " current_setting('logging_collector')")) {
        rs.next();
        return LogSettings.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
      } catch (SQLException e) {
        throw SqlFailures.of(e, "log settings");
      }
    }
    try {
      return LogSettings.of(
          stripSlash(hosting.dataDirectory(config)), hosting.showSetting(config, "log_directory"), hosting.showSetting(config, "log_filename"),
          hosting.showSetting(config, "logging_collector"));
    } catch (RuntimeException e) {
      notes.add("the log settings are unknown while the server is down: " + e.getMessage());
      return null;
    }
  }

  private CrashRecoveryHosting hosting(TargetConfig config) {
    CrashRecoveryHosting hosting = hostings.get(config.hosting());
    if (hosting == null) {
      throw new IllegalStateException("no crash recovery for hosting " + config.hosting());
    }
    return hosting;
  }

  private static void requireRetention(int days) {
    if (days < 1) {
      throw ApplicationFailure.newNonRetryableFailure("log retention must be at least 1 day, got " + days, "InvalidRetention");
    }
  }

  private static String stripSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
