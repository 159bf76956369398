package io.pgrunbooks.activities.crashrecovery;

import io.pgrunbooks.workflows.crashrecovery.DiskEntry;
import io.pgrunbooks.workflows.crashrecovery.LogFile;
import io.pgrunbooks.workflows.crashrecovery.ServerLogs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The commands both hostings run in the data directory (on the host as the cluster's OS user, in
 * the pod by exec) and the parsing of what they print; the same for both, so the host's real runs
 * test the pod's too. Only POSIX/busybox options: images based on Alpine have no GNU find.
 */
final class ServerFiles {
  /** Lines that say why a server stopped. */
  private static final Pattern FATAL = Pattern.compile(
      "FATAL|PANIC|No space left|out of memory|terminated by signal|could not|Killed", Pattern.CASE_INSENSITIVE);

  /** A file name a command may get: no path, no glob or option characters. */
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private ServerFiles() {}

  /** {@code du -a -k -d 1 <dir>}: the directory's top-level entries in KiB (busybox and GNU). */
  static List<String> du(String dataDirectory) {
    return List.of("du", "-a", "-k", "-d", "1", dataDirectory);
  }

  /** Each file of {@code directory} (not below) as {@code path|size|mtime epoch seconds}. */
  static List<String> statFiles(String directory) {
    return List.of("find", directory, "-maxdepth", "1", "-type", "f", "-exec", "stat", "-c", "%n|%s|%Y", "{}", "+");
  }

  /**
   * Deletes {@code directory/name} only if it is still a file modified more than {@code days} days
   * ago, and prints its path when it did: the re-check and the delete are one command.
   */
  static List<String> deleteIfOlder(String directory, String name, int days) {
    requireSafeName(name);
    return List.of("find", directory, "-maxdepth", "1", "-type", "f", "-name", name, "-mmin", "+" + (days * 1440L), "-print", "-delete");
  }

  static void requireSafeName(String name) {
    if (name == null || !SAFE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain file name: " + name);
    }
  }

  /** The largest top-level entries of the data directory (at most 20), and its total, from du's output. */
  static List<DiskEntry> parseDu(String dataDirectory, String output) {
    List<DiskEntry> entries = new ArrayList<>();
    for (String line : output.lines().toList()) {
      String[] parts = line.split("\t", 2);
      if (parts.length == 2 && parts[0].strip().matches("\\d+")) {
        entries.add(new DiskEntry(parts[1], Long.parseLong(parts[0].strip()) * 1024));
      }
    }
    return entries.stream().sorted(Comparator.comparingLong(DiskEntry::bytes).reversed()).toList();
  }

  /** A file {@link #statFiles} printed. */
  record Stat(String name, long bytes, long modifiedEpochSeconds) {}

  static List<Stat> parseStat(String output) {
    List<Stat> files = new ArrayList<>();
    for (String line : output.lines().toList()) {
      String[] parts = line.split("\\|");
      if (parts.length == 3 && parts[1].matches("\\d+") && parts[2].matches("\\d+")) {
        String path = parts[0];
        files.add(new Stat(path.substring(path.lastIndexOf('/') + 1), Long.parseLong(parts[1]), Long.parseLong(parts[2])));
      }
    }
    return files;
  }

  /**
   * The files older than {@code days} whose names the server writes ({@code logFilename}), oldest
   * first; never the newest such file, which the server may still write to on a quiet day.
   */
  static List<LogFile> oldLogs(List<Stat> files, String logFilename, int days, long nowEpochSeconds) {
    Pattern names = fileNamePattern(logFilename);
    List<Stat> logs = files.stream()
        .filter(f -> names.matcher(f.name()).matches() && SAFE_NAME.matcher(f.name()).matches())
        .sorted(Comparator.comparingLong(Stat::modifiedEpochSeconds).thenComparing(Stat::name))
        .toList();
    long cutoff = nowEpochSeconds - days * 86_400L;
    return logs.stream()
        .limit(Math.max(0, logs.size() - 1))
        .filter(f -> f.modifiedEpochSeconds() < cutoff)
        .map(f -> new LogFile(f.name(), f.bytes(), Instant.ofEpochSecond(f.modifiedEpochSeconds()).toString()))
        .toList();
  }

  /**
   * log_filename (strftime escapes) as a regular expression over file names; csvlog and jsonlog
   * files replace a ".log" suffix with ".csv" and ".json". Without escapes PostgreSQL appends the
   * file's creation epoch.
   */
  static Pattern fileNamePattern(String logFilename) {
    String name = logFilename;
    String suffix = "";
    if (name.endsWith(".log")) {
      name = name.substring(0, name.length() - 4);
      suffix = "\\.(log|csv|json)";
    }
    if (!name.contains("%")) {
      return Pattern.compile(Pattern.quote(name) + suffix + "(\\.\\d+)?");
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '%' && i + 1 < name.length()) {
        char escape = name.charAt(++i);
        regex.append(switch (escape) {
          case 'Y' -> "\\d{4}";
          case 'm', 'd', 'H', 'M', 'S', 'y', 'e', 'I', 'U', 'W', 'V' -> "[ \\d]?\\d";
          case 'j' -> "\\d{3}";
          case 'a', 'A', 'b', 'B', 'h', 'p' -> "[A-Za-z]+";
          case 'u', 'w' -> "\\d";
          case '%' -> "%";
          default -> ".+?";
        });
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex + suffix);
  }

  /** The last {@link ServerLogs#MAX_LINES} lines of a log, each cut to {@link ServerLogs#MAX_LINE}. */
  static List<String> tail(String log) {
    if (log == null || log.isBlank()) {
      return List.of();
    }
    List<String> lines = log.lines().filter(l -> !l.isBlank()).toList();
    return lines.subList(Math.max(0, lines.size() - ServerLogs.MAX_LINES), lines.size()).stream().map(ServerFiles::cut).toList();
  }

  /** The lines of a whole log that say why it stopped, the last {@link ServerLogs#MAX_LINES}, cut. */
  static List<String> fatal(String log) {
    if (log == null || log.isBlank()) {
      return List.of();
    }
    List<String> lines = log.lines().filter(l -> FATAL.matcher(l).find()).toList();
    return lines.subList(Math.max(0, lines.size() - ServerLogs.MAX_LINES), lines.size()).stream().map(ServerFiles::cut).toList();
  }

  private static String cut(String line) {
    return line.length() > ServerLogs.MAX_LINE ? line.substring(0, ServerLogs.MAX_LINE) + "…" : line;
  }
}
