package io.pgrunbooks.activities.serverfiles;

import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.serverfiles.ServerFileCommands.FileInfo;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Old dump files, the seed's {@code find /var/lib/postgresql/data -name "*.backup" -mtime +7 -delete}
 * made safe. The seed's walks the whole data directory, where "*.backup" are PostgreSQL's own backup
 * history files in pg_wal ({@code 000000010000000000000003.00000028.backup}). Here: only the files
 * directly in the data directory and in the target's local dump directory (find -maxdepth 1, regular
 * files, no symbolic links), never pg_wal or another directory of PostgreSQL's own, never a name shaped
 * like a WAL backup history file's, only names of dumps (*.backup, *.dump, *.sql, *.sql.gz, *.tar,
 * *.tar.gz; none of PostgreSQL's files in the data directory's top level ends so). The deletion takes
 * exactly the approved list, all names checked before the first goes, and re-checks each file against
 * its listing (same size and modification time) and, in the command that deletes it, its age and size.
 */
public final class OldDumpFiles {
  /** The names of dump files: plain names (no path, glob or option) with a dump's ending. */
  static final Pattern DUMP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.(backup|dump|sql|sql\\.gz|tar|tar\\.gz)");

  /** A WAL backup history file's name (timeline, segment, offset): PostgreSQL's own wherever it lies. */
  static final Pattern WAL_BACKUP_HISTORY = Pattern.compile("[0-9A-F]{24}\\.[0-9A-F]{8}\\.backup");

  private OldDumpFiles() {}

  /** A dump file found in {@code directory}. */
  public record Found(String directory, FileInfo file) {}

  /**
   * The listing behind the gate.
   *
   * @param directories the directories looked in
   * @param old the dump files older than the cutoff, oldest first
   * @param problems what was not looked in, and why
   */
  public record Listing(List<String> directories, List<Found> old, List<String> problems) {}

  /** An approved file as it was listed. */
  public record Approved(String directory, String name, long bytes, long modifiedEpochSeconds) {
    String path() {
      return directory + "/" + name;
    }
  }

  /**
   * What the deletion did.
   *
   * @param deleted the paths deleted
   * @param freedBytes their sizes, summed
   * @param gone approved paths no longer there (fine: an earlier attempt, or someone else)
   * @param skipped approved paths left alone, each with why
   */
  public record Deletion(List<String> deleted, long freedBytes, List<String> gone, List<String> skipped) {}

  /** Whether {@code name} is a dump file's and not PostgreSQL's own. */
  static boolean isDump(String name) {
    return name != null && DUMP_NAME.matcher(name).matches() && !WAL_BACKUP_HISTORY.matcher(name).matches();
  }

  /** The dump files last modified before {@code cutoff} in the data directory and {@code dumpDirectory} (null: none). */
  public static Listing find(ServerShell shell, TargetConfig target, String dumpDirectory, Instant cutoff) {
    List<String> problems = new ArrayList<>();
    List<String> directories = directories(shell.dataDirectory(target), dumpDirectory, problems);
    List<Found> old = new ArrayList<>();
    for (String directory : directories) {
      ServerFileCommands.listFiles(shell, target, directory).stream()
          .filter(f -> isDump(f.name()) && f.modifiedEpochSeconds() * 1000 < cutoff.toEpochMilli())
          .forEach(f -> old.add(new Found(directory, f)));
    }
    old.sort(Comparator.comparingLong((Found f) -> f.file().modifiedEpochSeconds()).thenComparing(f -> f.directory() + "/" + f.file().name()));
    return new Listing(directories, List.copyOf(old), List.copyOf(problems));
  }

  /**
   * Deletes exactly {@code approved}, each only if its directory is still one looked in, and the file
   * is still a regular file of the listed size and modification time, last modified before {@code cutoff}.
   * A name that is not a dump file's refuses the whole list before anything is deleted.
   */
  public static Deletion delete(
      ServerShell shell, TargetConfig target, String dumpDirectory, List<Approved> approved, Instant cutoff) {
    for (Approved a : approved) {
      if (!isDump(a.name())) {
        throw ApplicationFailure.newNonRetryableFailure(
            "'" + a.name() + "' is not a dump file name (" + DUMP_NAME.pattern() + ", not a WAL backup history file): nothing deleted",
            "InvalidDumpFile");
      }
    }
    Set<String> allowed = new LinkedHashSet<>(directories(shell.dataDirectory(target), dumpDirectory, new ArrayList<>()));
    Map<String, Map<String, FileInfo>> present = new HashMap<>();
    // find -mmin +n: more than n minutes old; rounded down, so the check is never looser than the cutoff.
    long minutes = Math.max(1, Duration.between(cutoff, Instant.now()).toMinutes());
    List<String> deleted = new ArrayList<>();
    List<String> gone = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    long freed = 0;
    for (Approved a : approved) {
      if (!allowed.contains(a.directory())) {
        skipped.add(a.path() + ": no longer the data directory or the configured dump directory, left alone");
        continue;
      }
      FileInfo now = present.computeIfAbsent(a.directory(), d -> ServerFileCommands.listFiles(shell, target, d).stream()
          .collect(Collectors.toMap(FileInfo::name, Function.identity()))).get(a.name());
      if (now == null) {
        gone.add(a.path());
      } else if (now.bytes() != a.bytes() || now.modifiedEpochSeconds() != a.modifiedEpochSeconds()) {
        skipped.add(a.path() + ": changed since it was listed (" + a.bytes() + " -> " + now.bytes() + " bytes, modified "
            + Instant.ofEpochSecond(a.modifiedEpochSeconds()) + " -> " + Instant.ofEpochSecond(now.modifiedEpochSeconds()) + "), left alone");
      } else {
        OsCommand.Result result = shell.run(target, ServerFileCommands.deleteCommand(a.directory(), a.name(), minutes, a.bytes()));
        if (result.ok() && !result.stdout().isBlank()) {
          deleted.add(a.path());
          freed += a.bytes();
        } else {
          skipped.add(a.path() + ": changed while being deleted (or not deletable: " + result.tail(1) + "), left alone");
        }
      }
    }
    return new Deletion(deleted, freed, gone, skipped);
  }

  /**
   * The data directory, and the dump directory when it is configured, absolute and not one of
   * PostgreSQL's own directories (else a problem says why it is not looked in).
   */
  static List<String> directories(String dataDirectory, String dumpDirectory, List<String> problems) {
    List<String> directories = new ArrayList<>(List.of(dataDirectory));
    if (dumpDirectory == null) {
      return directories;
    }
    String dir = Path.of(dumpDirectory).normalize().toString();
    if (!dumpDirectory.startsWith("/")) {
      problems.add("the local dump directory " + dumpDirectory + " is not an absolute path: not looked in");
    } else if (LogSettings.ownedByPostgres(dataDirectory, dir)) {
      problems.add("the local dump directory " + dir + " is one of PostgreSQL's own directories: nothing is deleted there");
    } else if (!dir.equals(dataDirectory)) {
      directories.add(dir);
    }
    return directories;
  }
}
