package io.pgrunbooks.activities.crashrecovery;

import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.ReadinessProbe;
import io.pgrunbooks.activities.postgres.SqlFailures;
import io.pgrunbooks.activities.serverfiles.LogSettings;
import io.pgrunbooks.activities.serverfiles.OldLogFiles;
import io.pgrunbooks.activities.serverfiles.ServerFileCommands;
import io.pgrunbooks.activities.serverfiles.ServerFileCommands.DirectorySizes;
import io.pgrunbooks.activities.serverfiles.ServerShell;
import io.pgrunbooks.activities.serverfiles.ServerShells;
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
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
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
  private final ServerShells shells;
  private final Map<Hosting, CrashRecoveryHosting> hostings = new EnumMap<>(Hosting.class);

  CrashRecoveryActivitiesImpl(
      TargetRegistry targets, PostgresConnector connector, ReadinessProbe readiness, ClusterHostings clusterHostings,
      ServerShells shells, List<CrashRecoveryHosting> hostings) {
    this.targets = targets;
    this.connector = connector;
    this.readiness = readiness;
    this.clusterHostings = clusterHostings;
    this.shells = shells;
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
    ServerShell shell = shells.of(config);
    String dir = shell.dataDirectory(config);
    try {
      DirectorySizes du = ServerFileCommands.du(shell, config);
      List<DiskEntry> entries = du.entries().stream().limit(20).map(e -> new DiskEntry(e.path(), e.bytes())).toList();
      return new DiskUsage(dir, du.totalBytes(), entries, null);
    } catch (RuntimeException e) {
      return new DiskUsage(dir, 0, List.of(), "du failed: " + e.getMessage());
    }
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
    String pattern = settings.names().pattern();
    if (!settings.collector()) {
      return new OldLogs(settings.directory(), pattern, List.of(),
          "logging_collector is off: the server writes no log files of its own (its output goes to the container's or service's log)");
    }
    if (settings.unsafe() != null) {
      return new OldLogs(settings.directory(), pattern, List.of(), settings.unsafe());
    }
    OldLogFiles.Listing listing;
    try {
      listing = OldLogFiles.find(shells.of(config), config, settings, Instant.now().minus(Duration.ofDays(retentionDays)));
    } catch (RuntimeException e) {
      return new OldLogs(settings.directory(), pattern, List.of(), "cannot list " + settings.directory() + ": " + e.getMessage());
    }
    List<LogFile> old = listing.old().stream()
        .map(f -> new LogFile(f.name(), f.bytes(), Instant.ofEpochSecond(f.modifiedEpochSeconds()).toString())).toList();
    return new OldLogs(listing.directory(), listing.pattern(), old, null);
  }

  @Override
  public RestartOutcome restartDatabase(String target, String identityBefore) {
    TargetConfig config = targets.get(target);
    Consumer<String> heartbeat = detail -> Activity.getExecutionContext().heartbeat(detail);
    return hosting(config).restart(config, identityBefore, () -> readiness.probe(config.primary()).accepting(), heartbeat);
  }

  /**
   * The re-check's cutoff is the retention counted from now: an approved file written since the
   * listing is minutes old and fails it, like one written since the listing's own cutoff.
   */
  @Override
  public LogCleanup deleteOldLogs(String target, String directory, List<LogFile> approved, int retentionDays) {
    requireRetention(retentionDays);
    TargetConfig config = targets.get(target);
    List<String> notes = new ArrayList<>();
    LogSettings settings = logSettings(config, notes);
    if (settings == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "log files are deleted only from the server's log directory (unknown: " + String.join("; ", notes) + "), not " + directory
              + "; nothing was deleted", "LogDirectoryChanged");
    }
    OldLogFiles.Deletion deletion = OldLogFiles.delete(
        shells.of(config), config, settings, directory, approved.stream().map(LogFile::name).toList(),
        Instant.now().minus(Duration.ofDays(retentionDays)));
    long freed = approved.stream().filter(f -> deletion.deleted().contains(f.name())).mapToLong(LogFile::bytes).sum();
    return new LogCleanup(deletion.deleted(), deletion.skipped(), freed);
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
   * log_directory, log_filename and logging_collector: from the running server (relative to its own
   * data_directory), else from its configuration files ({@code postgres -C}); null (with a note) when
   * neither answers.
   */
  private LogSettings logSettings(TargetConfig config, List<String> notes) {
    CrashRecoveryHosting hosting = hosting(config);
    if (readiness.probe(config.primary()).accepting()) {
      try (Connection c = connector.open(config.primary())) {
        return LogSettings.query(c, null);
      } catch (SQLException e) {
        throw SqlFailures.of(e, "log settings");
      }
    }
    try {
      return LogSettings.of(
          shells.of(config).dataDirectory(config), hosting.showSetting(config, "log_directory"), hosting.showSetting(config, "log_filename"),
          hosting.showSetting(config, "logging_collector"), null);
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
}
