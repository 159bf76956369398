package io.pgrunbooks.activities.serverfiles;

import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.serverfiles.ServerFileCommands.FileInfo;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Old server logs, the seed's {@code find /var/lib/postgresql/data -name "*.log" -mtime +7 -delete}
 * made exact (the seed's walks the whole data directory and deletes any "*.log" there): only the
 * server's configured log_directory, never the data directory or one of PostgreSQL's own
 * directories; only plain names log_filename can produce (with .csv and .json for csvlog and
 * jsonlog); never the file the server writes now, nor the newest log file (the server may still
 * write it on a quiet day, or be down and unable to say which is current). The deletion takes exactly
 * the approved names, all checked before the first goes, and re-checks each in the same command that
 * deletes it.
 */
public final class OldLogFiles {
  private OldLogFiles() {}

  /**
   * The listing behind a gate.
   *
   * @param old the files older than the cutoff, oldest first
   * @param others the files of the directory left alone (recent, the newest, not matching), counted
   */
  public record Listing(String directory, String pattern, Instant cutoff, List<FileInfo> old, int others) {}

  /**
   * What the deletion did.
   *
   * @param deleted the names deleted
   * @param skipped the approved names left alone, each with why
   */
  public record Deletion(List<String> deleted, List<String> skipped) {}

  /** The log files last modified before {@code cutoff}; refused (non-retryable) in an unsafe directory. */
  public static Listing find(ServerShell shell, TargetConfig target, LogSettings settings, Instant cutoff) {
    requireSafe(settings);
    List<FileInfo> files = ServerFileCommands.listFiles(shell, target, settings.directory());
    Pattern names = settings.names();
    List<FileInfo> logs = files.stream()
        .filter(f -> names.matcher(f.name()).matches() && ServerFileCommands.SAFE_NAME.matcher(f.name()).matches())
        .sorted(Comparator.comparingLong(FileInfo::modifiedEpochSeconds).thenComparing(FileInfo::name))
        .toList();
    List<FileInfo> old = logs.stream()
        .limit(Math.max(0, logs.size() - 1))
        .filter(f -> !f.name().equals(settings.currentFile()))
        .filter(f -> f.modifiedEpochSeconds() * 1000 < cutoff.toEpochMilli())
        .toList();
    return new Listing(settings.directory(), names.pattern(), cutoff, old, files.size() - old.size());
  }

  /**
   * Deletes exactly {@code approved} from {@code approvedDirectory}, which must still be the server's
   * log directory; each only if it is still a regular file, not the current log, and last modified
   * before {@code cutoff}. A name that is not a plain log file name refuses the whole list before
   * anything is deleted.
   */
  public static Deletion delete(
      ServerShell shell, TargetConfig target, LogSettings settings, String approvedDirectory, List<String> approved, Instant cutoff) {
    requireSafe(settings);
    if (!settings.directory().equals(approvedDirectory)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "log files are deleted only from the server's log directory, now " + settings.directory() + ", not the approved "
              + approvedDirectory + ": nothing deleted", "LogDirectoryChanged");
    }
    requireLogNames(approved, settings.names());
    Set<String> present = ServerFileCommands.listFiles(shell, target, approvedDirectory).stream()
        .map(FileInfo::name).collect(Collectors.toSet());
    // find -mmin +n: more than n minutes old; rounded down, so the check is never looser than the cutoff.
    long minutes = Math.max(1, Duration.between(cutoff, Instant.now()).toMinutes());
    List<String> deleted = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (String name : approved) {
      if (!present.contains(name)) {
        skipped.add(name + ": gone already (deleted by an earlier attempt of this step, or by someone else)");
      } else if (name.equals(settings.currentFile())) {
        skipped.add(name + ": the server writes it now, left alone");
      } else {
        OsCommand.Result result = shell.run(target, ServerFileCommands.deleteCommand(approvedDirectory, name, minutes));
        if (result.ok() && !result.stdout().isBlank()) {
          deleted.add(name);
        } else {
          skipped.add(name + ": written to since it was listed (or not deletable: " + result.tail(1) + "), left alone");
        }
      }
    }
    return new Deletion(deleted, skipped);
  }

  /** Each name: one plain file name of the directory, of the server's log pattern; else nothing is deleted. */
  public static void requireLogNames(List<String> names, Pattern pattern) {
    for (String name : names) {
      if (name == null || !ServerFileCommands.SAFE_NAME.matcher(name).matches() || !pattern.matcher(name).matches()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "'" + name + "' is not a server log file name of pattern " + pattern.pattern() + ": nothing deleted", "InvalidLogFile");
      }
    }
  }

  private static void requireSafe(LogSettings settings) {
    String unsafe = settings.unsafe();
    if (unsafe != null) {
      throw ApplicationFailure.newNonRetryableFailure(unsafe, "UnsafeLogDirectory");
    }
  }
}
