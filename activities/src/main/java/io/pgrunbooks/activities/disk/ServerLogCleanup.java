package io.pgrunbooks.activities.disk;

import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.disk.LogDeletion;
import io.pgrunbooks.workflows.disk.LogFile;
import io.pgrunbooks.workflows.disk.OldServerLogs;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Old server logs, the seed's {@code find data/log -name "*.log" -mtime +7 -delete} made exact: only
 * the server's configured log_directory (resolved in the data directory when relative), only names
 * log_filename can produce (with .csv and .json for csvlog and jsonlog), never the file the server
 * writes now, never a directory inside the data directory's own (pg_wal, base, global ...); the
 * deletion takes exactly the listed names and re-checks each before it goes.
 */
final class ServerLogCleanup {
  /** strftime escapes log_filename uses, as regular expressions; any other escape matches any text. */
  private static final Map<Character, String> ESCAPES = Map.ofEntries(
      Map.entry('Y', "\\d{4}"), Map.entry('y', "\\d{2}"), Map.entry('m', "\\d{2}"), Map.entry('d', "\\d{2}"),
      Map.entry('H', "\\d{2}"), Map.entry('M', "\\d{2}"), Map.entry('S', "\\d{2}"), Map.entry('j', "\\d{3}"),
      Map.entry('a', "[A-Za-z]+"), Map.entry('b', "[A-Za-z]+"), Map.entry('A', "[A-Za-z]+"), Map.entry('B', "[A-Za-z]+"),
      Map.entry('u', "\\d"), Map.entry('w', "\\d"), Map.entry('e', "[ \\d]\\d"), Map.entry('s', "\\d+"),
      Map.entry('z', "[+-]\\d{4}"), Map.entry('Z', "[A-Za-z]+"), Map.entry('%', "%"));

  /** Directories of PostgreSQL's own in a data directory: a log_directory among them is refused. */
  private static final List<String> OWN_DIRECTORIES =
      List.of("pg_wal", "base", "global", "pg_xact", "pg_multixact", "pg_tblspc", "pg_twophase", "pg_logical", "pg_replslot");

  private final DataDirectoryFiles files;

  ServerLogCleanup(DataDirectoryFiles files) {
    this.files = files;
  }

  /** The regular expression of the names log_filename produces (and their .csv / .json twins). */
  static String pattern(String logFilename) {
    StringBuilder regex = new StringBuilder();
    String name = logFilename.endsWith(".log") ? logFilename.substring(0, logFilename.length() - 4) : logFilename;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '%' && i + 1 < name.length()) {
        regex.append(ESCAPES.getOrDefault(name.charAt(++i), ".+?"));
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return logFilename.endsWith(".log") ? regex + "\\.(log|csv|json)" : regex.toString();
  }

  /** The files older than {@code retentionDays} days, oldest first. */
  OldServerLogs find(Connection c, TargetConfig target, int retentionDays) throws SQLException {
    if (retentionDays < 1) {
      throw ApplicationFailure.newNonRetryableFailure(
          "log retention must be at least 1 day, got " + retentionDays, "InvalidLogRetention");
    }
    String logDirectory;
    String logFilename;
    String collector;
    String current = null;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "select current_setting('log_directory'), current_setting('log_filename'), current_setting('logging_collector')")) {
      rs.next();
      logDirectory = rs.getString(1);
      logFilename = rs.getString(2);
      collector = rs.getString(3);
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_current_logfile()")) {
      if (rs.next() && rs.getString(1) != null) {
        String path = rs.getString(1);
        current = path.substring(path.lastIndexOf('/') + 1);
      }
    } catch (SQLException notAllowed) {
      // pg_current_logfile needs superuser or an explicit grant; the mtime cutoff still spares a file being written
    }
    String directory = resolve(files.dataDirectory(target), logDirectory);
    String pattern = pattern(logFilename);
    Pattern names = Pattern.compile(pattern);
    Instant cutoff = Instant.now().minus(Duration.ofDays(retentionDays));
    List<LogFile> old = new ArrayList<>();
    int others = 0;
    List<DataDirectoryFiles.FileInfo> listed = new ArrayList<>(files.regularFiles(target, directory));
    listed.sort(Comparator.comparingLong(DataDirectoryFiles.FileInfo::modifiedMillis).thenComparing(DataDirectoryFiles.FileInfo::name));
    for (DataDirectoryFiles.FileInfo f : listed) {
      if (names.matcher(f.name()).matches() && !f.name().equals(current) && f.modifiedMillis() < cutoff.toEpochMilli()) {
        old.add(new LogFile(f.name(), f.bytes(), Instant.ofEpochMilli(f.modifiedMillis()).toString()));
      } else {
        others++;
      }
    }
    return new OldServerLogs(directory, pattern, retentionDays, cutoff.toString(), old, others, collector);
  }

  /** Deletes exactly the approved files, each re-checked (name pattern, regular, unmodified since the cutoff). */
  LogDeletion delete(Connection c, TargetConfig target, OldServerLogs approved) throws SQLException {
    String configured;
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select current_setting('log_directory')")) {
      rs.next();
      configured = resolve(files.dataDirectory(target), rs.getString(1));
    }
    if (!configured.equals(approved.directory())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the server's log directory is now " + configured + ", not the approved " + approved.directory() + ": nothing deleted",
          "LogDirectoryChanged");
    }
    Pattern names = Pattern.compile(approved.pattern());
    long cutoff = Instant.parse(approved.cutoff()).toEpochMilli();
    List<String> deleted = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    long freed = 0;
    for (LogFile f : approved.files()) {
      requireLogName(f.name(), names);
      if (files.deleteIfUnmodifiedSince(target, approved.directory(), f.name(), cutoff)) {
        deleted.add(f.name());
        freed += f.bytes();
      } else {
        skipped.add(f.describe() + ": gone already or written since the listing, left alone");
      }
    }
    return new LogDeletion(deleted, freed, skipped);
  }

  /** log_directory as an absolute path; refused when it is the data directory or one of PostgreSQL's own directories. */
  static String resolve(String dataDirectory, String logDirectory) {
    String data = dataDirectory.endsWith("/") ? dataDirectory.substring(0, dataDirectory.length() - 1) : dataDirectory;
    String dir = java.nio.file.Path.of(logDirectory.startsWith("/") ? logDirectory : data + "/" + logDirectory).normalize().toString();
    boolean own = dir.equals(data) || OWN_DIRECTORIES.stream().anyMatch(d -> dir.equals(data + "/" + d) || dir.startsWith(data + "/" + d + "/"));
    if (own) {
      throw ApplicationFailure.newNonRetryableFailure(
          "log_directory " + logDirectory + " is " + dir + ", the data directory or one of PostgreSQL's own directories:"
              + " nothing is deleted there; give the server a log directory of its own", "UnsafeLogDirectory");
    }
    return dir;
  }

  /** A name from the approved list: one file of the directory, of the server's log pattern, no glob characters. */
  private static void requireLogName(String name, Pattern names) {
    if (name.contains("/") || name.equals(".") || name.equals("..") || name.matches(".*[*?\\[\\]\\\\].*")
        || !names.matcher(name).matches()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "'" + name + "' is not a server log file name of pattern " + names.pattern() + ": nothing deleted", "InvalidLogFile");
    }
  }
}
