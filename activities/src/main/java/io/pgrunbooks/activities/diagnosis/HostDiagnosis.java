package io.pgrunbooks.activities.diagnosis;

import io.pgrunbooks.activities.hosting.ClusterHosting.NotApplicable;
import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.postgres.PgBinaries;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.HostPlacement;
import io.pgrunbooks.workflows.diagnosis.ContainerResources;
import io.pgrunbooks.workflows.diagnosis.PodDetails;
import io.pgrunbooks.workflows.diagnosis.PodEvent;
import io.pgrunbooks.workflows.diagnosis.ServerStatus;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A cluster on the worker's machine: pg_ctl status instead of the pod description, the server's
 * log file instead of the pod log; no pods, events or resource limits.
 */
final class HostDiagnosis implements DiagnosisHosting {
  /** At most this much of the log file's end is read. */
  static final int LOG_TAIL_BYTES = 1 << 20;

  private final Path proc;

  HostDiagnosis() {
    this(Path.of("/proc"));
  }

  HostDiagnosis(Path proc) {
    this.proc = proc;
  }

  @Override
  public List<PodDetails> describePods(TargetConfig target) {
    throw notApplicable(target, "pods");
  }

  @Override
  public List<PodEvent> recentEvents(TargetConfig target, int newest) {
    throw notApplicable(target, "pod events");
  }

  @Override
  public List<ContainerResources> resources(TargetConfig target) {
    throw notApplicable(target, "resource requests or limits");
  }

  @Override
  public RawLog databaseLog(TargetConfig target, boolean previous) {
    if (previous) {
      throw new NotApplicable("a host server has no previous container: its log file spans restarts");
    }
    Path file = logFile(Path.of(target.host().dataDirectory()))
        .orElseThrow(() -> new IllegalArgumentException("no server log found for " + target.host().dataDirectory()
            + ": neither current_logfiles (logging_collector), nor a file as the postmaster's stderr, nor files in log/"));
    return new RawLog(file.toString(), tail(file, LOG_TAIL_LINES));
  }

  /**
   * Where the server logs, in the order PostgreSQL decides it: with logging_collector on, the file
   * {@code current_logfiles} names (what pg_current_logfile() reads; log_directory may be anywhere);
   * else the postmaster's stderr, which {@code pg_ctl -l FILE} points at a file; else the newest file
   * of the default log_directory, {@code log/}.
   */
  Optional<Path> logFile(Path dataDirectory) {
    Path current = dataDirectory.resolve("current_logfiles");
    try {
      if (Files.isReadable(current)) {
        Optional<Path> named = Files.readAllLines(current).stream()
            .map(l -> l.split(" ", 2))
            .filter(p -> p.length == 2 && p[0].equals("stderr"))
            .map(p -> dataDirectory.resolve(p[1].strip()))
            .filter(Files::isReadable)
            .findFirst();
        if (named.isPresent()) {
          return named;
        }
      }
      Path pidFile = dataDirectory.resolve("postmaster.pid");
      if (Files.isReadable(pidFile)) {
        String pid = Files.readAllLines(pidFile).get(0).strip();
        Path stderr = proc.resolve(pid).resolve("fd/2");
        if (Files.exists(stderr)) {
          Path target = Files.readSymbolicLink(stderr);
          if (target.isAbsolute() && Files.isRegularFile(target) && Files.isReadable(target)) {
            return Optional.of(target);
          }
        }
      }
      Path logDirectory = dataDirectory.resolve("log");
      if (Files.isDirectory(logDirectory)) {
        try (Stream<Path> files = Files.list(logDirectory)) {
          return files.filter(Files::isRegularFile)
              .max(Comparator.comparing(p -> p.toFile().lastModified()));
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last {@code lines} lines of the file, from at most its last MiB. */
  static String tail(Path file, int lines) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long length = f.length();
      long start = Math.max(0, length - LOG_TAIL_BYTES);
      byte[] bytes = new byte[(int) (length - start)];
      f.seek(start);
      f.readFully(bytes);
      String[] all = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
      int from = start > 0 ? 1 : 0; // the first line read may be cut
      int to = all.length > 0 && all[all.length - 1].isEmpty() ? all.length - 1 : all.length;
      from = Math.max(from, to - lines);
      return from >= to ? "" : String.join("\n", Arrays.copyOfRange(all, from, to)) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public ServerStatus serverStatus(TargetConfig target) {
    HostPlacement host = target.host();
    Path bin = host.binDirectory() == null || host.binDirectory().isBlank()
        ? PgBinaries.directory(null)
        : Path.of(host.binDirectory());
    OsCommand.Result status = OsCommand.run(
        host.osUser(), List.of(bin.resolve("pg_ctl").toString(), "-D", host.dataDirectory(), "status"),
        Duration.ofSeconds(20), null);
    String output = (status.stdout() + status.stderr()).strip();
    return new ServerStatus(status.ok(), status.exitCode(), output);
  }

  private static NotApplicable notApplicable(TargetConfig target, String what) {
    return new NotApplicable("host hosting has no " + what + ": PostgreSQL runs on this machine from "
        + target.host().dataDirectory());
  }
}
