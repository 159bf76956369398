package io.pgrunbooks.activities.serverfiles;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the server writes its log files.
 *
 * @param dataDirectory the data directory (no trailing slash)
 * @param directory log_directory, made absolute (relative ones are inside the data directory) and normalized
 * @param filename log_filename, with its strftime escapes
 * @param collector logging_collector: off means the server writes no log files of its own
 * @param currentFile the name of the file the server writes now (pg_current_logfile), null when unknown
 */
public record LogSettings(String dataDirectory, String directory, String filename, boolean collector, String currentFile) {

  /**
   * strftime escapes log_filename uses, as regular expressions (strftime pads with zeros, %e with a
   * blank); any other escape matches any text.
   */
  private static final Map<Character, String> ESCAPES = Map.ofEntries(
      Map.entry('Y', "\\d{4}"), Map.entry('y', "\\d{2}"), Map.entry('m', "\\d{2}"), Map.entry('d', "\\d{2}"),
      Map.entry('H', "\\d{2}"), Map.entry('I', "\\d{2}"), Map.entry('M', "\\d{2}"), Map.entry('S', "\\d{2}"),
      Map.entry('U', "\\d{2}"), Map.entry('W', "\\d{2}"), Map.entry('V', "\\d{2}"), Map.entry('j', "\\d{3}"),
      Map.entry('a', "[A-Za-z]+"), Map.entry('b', "[A-Za-z]+"), Map.entry('h', "[A-Za-z]+"), Map.entry('A', "[A-Za-z]+"),
      Map.entry('B', "[A-Za-z]+"), Map.entry('p', "[A-Za-z]+"), Map.entry('u', "\\d"), Map.entry('w', "\\d"),
      Map.entry('e', "[ \\d]\\d"), Map.entry('s', "\\d+"), Map.entry('z', "[+-]\\d{4}"), Map.entry('Z', "[A-Za-z]+"),
      Map.entry('%', "%"));

  /** Directories of PostgreSQL's own in a data directory: a log_directory among them is refused. */
  static final List<String> OWN_DIRECTORIES =
      List.of("pg_wal", "base", "global", "pg_xact", "pg_multixact", "pg_tblspc", "pg_twophase", "pg_logical", "pg_replslot");

  /** Whether {@code directory} is one of PostgreSQL's own directories of {@code dataDirectory}, or below one. */
  static boolean ownedByPostgres(String dataDirectory, String directory) {
    return OWN_DIRECTORIES.stream().anyMatch(d -> directory.equals(dataDirectory + "/" + d) || directory.startsWith(dataDirectory + "/" + d + "/"));
  }

  /** From the settings' values as the server (or {@code postgres -C}) shows them. */
  public static LogSettings of(String dataDirectory, String logDirectory, String filename, String collector, String currentFile) {
    String data = ServerShell.stripSlash(dataDirectory);
    String dir = Path.of(logDirectory.startsWith("/") ? logDirectory : data + "/" + logDirectory).normalize().toString();
    String current = currentFile == null ? null : currentFile.substring(currentFile.lastIndexOf('/') + 1);
    return new LogSettings(data, dir, filename, "on".equalsIgnoreCase(collector) || "true".equalsIgnoreCase(collector), current);
  }

  /**
   * From the running server: its settings, and pg_current_logfile where the role may call it; a
   * relative log_directory in {@code dataDirectory}, or in the server's data_directory when null.
   */
  public static LogSettings query(Connection c, String dataDirectory) throws SQLException {
    String logDirectory;
    String filename;
    String collector;
    String data;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "select current_setting('log_directory'), current_setting('log_filename'), current_setting('logging_collector')"
                + (dataDirectory == null ? ", current_setting('data_directory')" : ""))) {
      rs.next();
      logDirectory = rs.getString(1);
      filename = rs.getString(2);
      collector = rs.getString(3);
      data = dataDirectory == null ? rs.getString(4) : dataDirectory;
    }
    String current = null;
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select pg_current_logfile()")) {
      if (rs.next()) {
        current = rs.getString(1);
      }
    } catch (SQLException notAllowed) {
      // pg_current_logfile needs superuser or an explicit grant; the newest log file is spared anyway
    }
    return of(data, logDirectory, filename, collector, current);
  }

  /** logging_collector as the server shows it. */
  public String collectorSetting() {
    return collector ? "on" : "off";
  }

  /** Why nothing may be deleted in the log directory (the data directory or one of PostgreSQL's own), null when it may. */
  public String unsafe() {
    boolean own = directory.equals(dataDirectory) || ownedByPostgres(dataDirectory, directory);
    return own
        ? "log_directory " + directory + " is the data directory or one of PostgreSQL's own directories:"
            + " nothing is deleted there; give the server a log directory of its own"
        : null;
  }

  /** The names log_filename produces, and their .csv / .json twins (csvlog, jsonlog). */
  public Pattern names() {
    return Pattern.compile(pattern(filename));
  }

  /** log_filename (strftime escapes) as a regular expression over file names. */
  static String pattern(String logFilename) {
    boolean log = logFilename.endsWith(".log");
    String name = log ? logFilename.substring(0, logFilename.length() - 4) : logFilename;
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '%' && i + 1 < name.length()) {
        regex.append(ESCAPES.getOrDefault(name.charAt(++i), ".+?"));
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return log ? regex + "\\.(log|csv|json)" : regex.toString();
  }
}
