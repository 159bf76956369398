package io.pgrunbooks.activities.crashrecovery;

import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.host.PgCtl;
import io.pgrunbooks.activities.host.PostmasterOpts;
import io.pgrunbooks.activities.host.ServerSettings;
import io.pgrunbooks.activities.serverfiles.LogSettings;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.HostPlacement;
import io.pgrunbooks.workflows.crashrecovery.NodeResources;
import io.pgrunbooks.workflows.crashrecovery.RestartOutcome;
import io.pgrunbooks.workflows.crashrecovery.ServerLogs;
import io.pgrunbooks.workflows.crashrecovery.ServerState;
import io.pgrunbooks.workflows.crashrecovery.VolumeState;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Scenario 1 for a cluster on this machine: pg_ctl status, postmaster.pid, the server's log file,
 * pg_ctl start. A stale postmaster.pid (its pid gone) is never deleted here: PostgreSQL checks the
 * pid and the shared memory block itself and replaces the file, while deleting it by hand could let
 * a second postmaster start on a directory a live one still uses.
 */
@Component
class HostCrashRecovery implements CrashRecoveryHosting {
  /** The pg_ctl -l file of the starts this service makes (the same file the connections runbook's restart writes). */
  static final String START_LOG = "pg-runbooks-restart.log";

  private static final Pattern PG_CTL_PID = Pattern.compile("PID: (\\d+)");
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);

  @Override
  public Hosting hosting() {
    return Hosting.HOST;
  }

  @Override
  public ServerState describeServer(TargetConfig target) {
    HostPlacement host = host(target);
    OsCommand.Result status = OsCommand.run(host.osUser(), PgCtl.command(host, "status"), Duration.ofSeconds(30), null);
    Matcher pid = PG_CTL_PID.matcher(status.stdout());
    boolean running = status.ok();
    String identity = running && pid.find() ? "pid " + pid.group(1) : null;
    return new ServerState(
        Hosting.HOST, host.dataDirectory(), running, running, identity, running ? "running" : "stopped", null, List.of(), List.of(),
        null, null, pidFile(Path.of(host.dataDirectory()), running));
  }

  /** What postmaster.pid says, and whether its process lives. */
  static String pidFile(Path dataDirectory, boolean running) {
    Path file = dataDirectory.resolve("postmaster.pid");
    try {
      if (!Files.exists(file)) {
        return running ? null : "no postmaster.pid: the server was shut down cleanly or never started";
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      long pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).strip());
      if (running) {
        return null;
      }
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      return alive
          ? "postmaster.pid names pid " + pid + ", which is alive but is not a running server for this directory"
              + " (a reused pid: PostgreSQL refuses to start until it is gone)"
          : "postmaster.pid names pid " + pid + ", which is not running (stale: the server ended without a shutdown;"
              + " PostgreSQL replaces the file when it starts)";
    } catch (IOException | NumberFormatException e) {
      return "postmaster.pid unreadable: " + e.getMessage();
    }
  }

  @Override
  public ServerLogs readServerLogs(TargetConfig target, LogSettings settings) {
    Path data = Path.of(host(target).dataDirectory());
    List<String> sources = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> current = List.of();
    List<String> fatal = new ArrayList<>();
    Optional<Path> file = currentLogFile(data, settings);
    if (file.isPresent()) {
      String log = read(file.get());
      sources.add(file.get().toString());
      current = LogExcerpts.tail(log);
      fatal.addAll(LogExcerpts.fatal(log));
    } else if (settings != null && !settings.collector()) {
      notes.add("logging_collector is off: the server writes its log to the stderr of whatever started it (a pg_ctl -l file,"
          + " journald); only the log of this service's own starts (" + START_LOG + ") is read");
    } else {
      notes.add("no server log file found" + (settings == null ? "" : " in " + settings.directory()));
    }
    Path startLog = data.resolve(START_LOG);
    if (Files.isRegularFile(startLog)) {
      String log = read(startLog);
      sources.add(startLog.toString());
      fatal.addAll(LogExcerpts.fatal(log));
      if (current.isEmpty()) {
        current = LogExcerpts.tail(log);
      }
    }
    return new ServerLogs(sources, List.of(), current, fatal.subList(Math.max(0, fatal.size() - ServerLogs.MAX_LINES), fatal.size()), notes);
  }

  /** current_logfiles (written by the collector since PostgreSQL 10), else the newest file the server writes. */
  private static Optional<Path> currentLogFile(Path data, LogSettings settings) {
    Path named = data.resolve("current_logfiles");
    try {
      if (Files.isRegularFile(named)) {
        for (String line : Files.readAllLines(named, StandardCharsets.UTF_8)) {
          String[] parts = line.split(" ", 2);
          if (parts.length == 2 && parts[0].equals("stderr")) {
            Path file = parts[1].startsWith("/") ? Path.of(parts[1]) : data.resolve(parts[1]);
            if (Files.isRegularFile(file)) {
              return Optional.of(file);
            }
          }
        }
      }
      if (settings == null || !settings.collector() || !Files.isDirectory(Path.of(settings.directory()))) {
        return Optional.empty();
      }
      Pattern names = settings.names();
      try (Stream<Path> files = Files.list(Path.of(settings.directory()))) {
        return files.filter(p -> Files.isRegularFile(p) && names.matcher(p.getFileName().toString()).matches())
            .max(Comparator.comparing(HostCrashRecovery::modified));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  /** The last 1 MiB of a log: enough for its tail and recent fatal lines, bounded for a huge file. */
  private static String read(Path file) {
    try (var channel = Files.newByteChannel(file)) {
      long size = channel.size();
      long from = Math.max(0, size - (1 << 20));
      channel.position(from);
      var buffer = java.nio.ByteBuffer.allocate((int) (size - from));
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // read on
      }
      return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public VolumeState describeClaim(TargetConfig target, String claim) {
    return new VolumeState(null, null, null, null, null, List.of(), null, false, List.of());
  }

  @Override
  public NodeResources describeNode(TargetConfig target, String node) {
    return null;
  }

  /** {@code postgres -D <dir> -C name} with the options the server last ran with (a -c on its command line wins). */
  @Override
  public String showSetting(TargetConfig target, String name) {
    OsCommand.Result shown = ServerSettings.show(host(target), name);
    if (!shown.ok()) {
      throw ApplicationFailure.newFailure("postgres -C " + name + " failed: " + shown.tail(3), "SettingUnreadable");
    }
    return shown.stdout().strip();
  }

  @Override
  public RestartOutcome restart(TargetConfig target, String identityBefore, BooleanSupplier accepting, Consumer<String> progress) {
    HostPlacement host = host(target);
    ServerState now = describeServer(target);
    String log = Path.of(host.dataDirectory()).resolve(START_LOG).toString();
    String action;
    String note = null;
    if (now.running() && accepting.getAsBoolean()) {
      return new RestartOutcome(
          "nothing: the server runs (" + now.identity() + ") and accepts connections", identityBefore, now.identity(),
          now.identity() != null && now.identity().equals(identityBefore)
              ? "it recovered by itself since the diagnosis"
              : "an earlier attempt of this step had started it");
    } else if (now.running()) {
      action = "pg_ctl restart -m fast of the server at " + host.dataDirectory() + " (" + now.identity() + ")";
      pgCtlOrFail(host, "pg_ctl restart", PgCtl.command(host, "restart", "-m", "fast", "-w", "-t", "300", "-l", log), progress);
    } else {
      if (now.pidFile() != null && now.pidFile().contains("stale")) {
        note = "the stale postmaster.pid was left to PostgreSQL, which replaced it";
      }
      action = "pg_ctl start of the server at " + host.dataDirectory();
      List<String> start = new ArrayList<>(PgCtl.command(host, "start", "-w", "-t", "300", "-l", log));
      String options = PostmasterOpts.serverOptions(Path.of(host.dataDirectory()));
      if (options != null && !options.isBlank()) {
        start.addAll(List.of("-o", options));
      }
      pgCtlOrFail(host, "pg_ctl start", start, progress);
    }
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!accepting.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw ApplicationFailure.newNonRetryableFailure(
            "the server started but does not accept connections after " + READY_TIMEOUT + ": see " + log, "NotAccepting");
      }
      progress.accept("waiting for the server to accept connections");
      sleep(500);
    }
    return new RestartOutcome(action, identityBefore, describeServer(target).identity(), note);
  }

  private static void pgCtlOrFail(HostPlacement host, String what, List<String> command, Consumer<String> progress) {
    OsCommand.Result result = OsCommand.run(host.osUser(), command, Duration.ofMinutes(6), progress);
    if (!result.ok()) {
      // Retryable: e.g. children of a killed postmaster still hold its shared memory for a moment.
      throw ApplicationFailure.newFailure(what + " failed: " + result.tail(3) + " (see " + host.dataDirectory() + "/" + START_LOG + ")",
          "StartFailed");
    }
  }

  @Override
  public Boolean podReady(TargetConfig target) {
    return null;
  }

  private static HostPlacement host(TargetConfig target) {
    if (target.host() == null || target.host().dataDirectory() == null) {
      throw ApplicationFailure.newNonRetryableFailure("target has hosting host but no host.data-directory", "InvalidTarget");
    }
    return target.host();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the server", e);
    }
  }
}
