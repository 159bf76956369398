package io.pgrunbooks.activities.serverfiles;

import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.targets.TargetConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The commands run where the data directory is, and the parsing of what they print. Only POSIX and
 * busybox options (no GNU {@code find -printf} or {@code -newermt}): images based on Alpine have no
 * GNU find.
 */
public final class ServerFileCommands {
  /** A file name a command may get: no path, no glob, option or blank characters. */
  static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private ServerFileCommands() {}

  /** A file {@link #listFiles} printed: name (no directory part), size, last modification (whole seconds). */
  public record FileInfo(String name, long bytes, long modifiedEpochSeconds) {}

  /** One line of du: a top-level entry of the data directory (full path, its name) and its size on disk. */
  public record SizedPath(String path, String name, long bytes) {}

  /**
   * The data directory's top-level entries as {@code du -a -k -d 1} sizes them (busybox and GNU),
   * largest first, and the directory's total.
   */
  public record DirectorySizes(String dataDirectory, long totalBytes, List<SizedPath> entries) {}

  /** {@code du -a -k -d 1 <dir>}: the directory's top-level entries in KiB. */
  static List<String> duCommand(String dataDirectory) {
    return List.of("du", "-a", "-k", "-d", "1", dataDirectory);
  }

  /** Each regular file of {@code directory} (not below, no symbolic links) as {@code path|size|mtime epoch seconds}. */
  static List<String> listCommand(String directory) {
    return List.of("find", directory, "-maxdepth", "1", "-type", "f", "-exec", "stat", "-c", "%n|%s|%Y", "{}", "+");
  }

  /**
   * Deletes {@code directory/name} only if it is still a regular file last modified more than {@code
   * minutes} minutes ago, and prints its path when it did: the re-check and the delete are one command.
   */
  static List<String> deleteCommand(String directory, String name, long minutes) {
    requireSafeName(name);
    return List.of("find", directory, "-maxdepth", "1", "-type", "f", "-name", name, "-mmin", "+" + minutes, "-print", "-delete");
  }

  /** The same, and only while the file still has exactly {@code bytes} bytes ({@code -size Nc}: GNU and busybox). */
  static List<String> deleteCommand(String directory, String name, long minutes, long bytes) {
    List<String> command = new ArrayList<>(deleteCommand(directory, name, minutes));
    command.addAll(command.size() - 2, List.of("-size", bytes + "c"));
    return List.copyOf(command);
  }

  static void requireSafeName(String name) {
    if (name == null || !SAFE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain file name: " + name);
    }
  }

  /**
   * du of the data directory; exit 1 with output is a file that vanished during the walk (or an
   * unreadable subdirectory), the rest is still sized.
   */
  public static DirectorySizes du(ServerShell shell, TargetConfig target) {
    String root = shell.dataDirectory(target);
    OsCommand.Result du = shell.run(target, duCommand(root));
    DirectorySizes sizes = parseDu(root, du.stdout());
    if (du.exitCode() > 1 || (sizes.entries().isEmpty() && sizes.totalBytes() == 0)) {
      throw new IllegalStateException("du of " + root + " failed (exit " + du.exitCode() + "): " + du.tail(3));
    }
    return sizes;
  }

  static DirectorySizes parseDu(String dataDirectory, String output) {
    String root = ServerShell.stripSlash(dataDirectory);
    long total = 0;
    List<SizedPath> entries = new ArrayList<>();
    for (String line : output.lines().toList()) {
      String[] parts = line.split("\t", 2);
      if (parts.length < 2 || !parts[0].strip().matches("\\d+")) {
        continue;
      }
      long bytes = Long.parseLong(parts[0].strip()) * 1024;
      String path = ServerShell.stripSlash(parts[1]);
      if (path.equals(root)) {
        total = bytes;
      } else {
        entries.add(new SizedPath(path, path.substring(path.lastIndexOf('/') + 1), bytes));
      }
    }
    entries.sort(Comparator.comparingLong(SizedPath::bytes).reversed().thenComparing(SizedPath::name));
    return new DirectorySizes(root, total, List.copyOf(entries));
  }

  /**
   * The regular files directly in {@code directory}; none when it does not exist. A file that
   * vanishes between find and stat makes find exit 1 and is simply not listed.
   */
  static List<FileInfo> listFiles(ServerShell shell, TargetConfig target, String directory) {
    OsCommand.Result find = shell.run(target, listCommand(directory));
    if (!find.ok() && find.stdout().isBlank()) {
      if (find.stderr().contains("No such file")) {
        return List.of();
      }
      throw new IllegalStateException("cannot list " + directory + " (exit " + find.exitCode() + "): " + find.tail(3));
    }
    return parseList(find.stdout());
  }

  static List<FileInfo> parseList(String output) {
    List<FileInfo> files = new ArrayList<>();
    for (String line : output.lines().toList()) {
      String[] parts = line.split("\\|");
      if (parts.length == 3 && parts[1].matches("\\d+") && parts[2].matches("\\d+")) {
        String path = parts[0];
        files.add(new FileInfo(path.substring(path.lastIndexOf('/') + 1), Long.parseLong(parts[1]), Long.parseLong(parts[2])));
      }
    }
    return files;
  }
}
