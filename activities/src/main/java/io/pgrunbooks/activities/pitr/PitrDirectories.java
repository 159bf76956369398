package io.pgrunbooks.activities.pitr;

import io.pgrunbooks.activities.host.OsCommand;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directories of one run, named from the run's label so that every retry finds the same ones:
 * {@code <datadir>.pre_pitr_<label>} (the old data directory, never deleted) and {@code
 * <datadir>.pitr_<label>} (markers and the recovered server's log). The moved-aside directory is
 * itself the marker of the move; a marker file says the restore completed.
 */
final class PitrDirectories {
  static final String RESTORED = "restored";

  private PitrDirectories() {}

  static String aside(String dataDirectory, String label) {
    return dataDirectory + ".pre_pitr_" + label;
  }

  static String work(String dataDirectory, String label) {
    return dataDirectory + ".pitr_" + label;
  }

  /**
   * Renames the data directory aside in one atomic step. When the aside directory exists an
   * earlier attempt moved it: whatever is at the data directory now (a restore) stays.
   */
  static String moveAside(String dataDirectory, String aside) {
    Path data = Path.of(dataDirectory);
    Path target = Path.of(aside);
    if (Files.exists(target)) {
      return aside;
    }
    if (!Files.isDirectory(data)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "neither " + dataDirectory + " nor " + aside + " exists: refusing to guess where the data is", "DataDirectoryMissing");
    }
    if (Files.exists(data.resolve("postmaster.pid"))) {
      throw ApplicationFailure.newFailure(dataDirectory + " has a postmaster.pid: the server is not stopped", "ServerRunning");
    }
    try {
      Files.move(data, target, StandardCopyOption.ATOMIC_MOVE);
      return aside;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + dataDirectory + " to " + aside, e);
    }
  }

  /** Creates a directory owned by the cluster's OS user, mode 0700 (PostgreSQL requires it for data). */
  static void createAs(String osUser, String directory) {
    if (Files.isDirectory(Path.of(directory))) {
      return;
    }
    OsCommand.Result mkdir = OsCommand.run(osUser, List.of("mkdir", "-m", "0700", directory), Duration.ofSeconds(30), null);
    if (!mkdir.ok()) {
      throw ApplicationFailure.newNonRetryableFailure("cannot create " + directory + ": " + mkdir.tail(2), "CannotCreateDirectory");
    }
  }

  static boolean isEmpty(String directory) {
    try (Stream<Path> entries = Files.list(Path.of(directory))) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether pgBackRest's {@code --delta} will take the directory: it refuses one that has neither
   * PG_VERSION nor backup.manifest (a restore killed before writing either).
   */
  static boolean deltaCanResume(String directory) {
    Path dir = Path.of(directory);
    return Files.exists(dir.resolve("PG_VERSION")) || Files.exists(dir.resolve("backup.manifest"));
  }

  /** Removes everything inside {@code directory}, keeping the directory itself. */
  static void clear(String directory) {
    try (Stream<Path> entries = Files.walk(Path.of(directory))) {
      for (Path p : entries.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (!p.equals(Path.of(directory))) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean marked(String work, String marker) {
    return Files.exists(Path.of(work, marker));
  }

  static void mark(String work, String marker, String content) {
    try {
      Path tmp = Path.of(work, marker + ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, Path.of(work, marker), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The options the old server was started with, from its postmaster.opts (what {@code pg_ctl
   * restart} reuses), without the program and its -D: pg_ctl adds those itself.
   */
  static String serverOptions(String aside) {
    return io.pgrunbooks.activities.host.PostmasterOpts.serverOptions(Path.of(aside));
  }

}
