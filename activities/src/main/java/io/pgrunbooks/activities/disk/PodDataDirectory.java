package io.pgrunbooks.activities.disk;

import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.workflows.disk.SizedEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The data directory inside the primary pod (kubernetes hosting), through GNU coreutils and
 * findutils in its container (as in the official postgres images): {@code du -a -k -d 1},
 * {@code find -printf} and {@code find ... -delete}, which re-checks and deletes in one call.
 */
final class PodDataDirectory implements DataDirectoryFiles {
  private final Function<TargetConfig, PodCommand> pods;

  PodDataDirectory(Function<TargetConfig, PodCommand> pods) {
    this.pods = pods;
  }

  @Override
  public String dataDirectory(TargetConfig target) {
    String dir = target.kubernetes() == null ? null : target.kubernetes().dataDirectory();
    if (dir == null || dir.isBlank()) {
      throw new IllegalArgumentException("target has no kubernetes.dataDirectory");
    }
    return dir;
  }

  /** {@code du -a -k -d 1 <data>}: exit 1 with output is a file that vanished during the walk, fine. */
  static List<String> duCommand(String dataDirectory) {
    return List.of("du", "-a", "-k", "-d", "1", dataDirectory);
  }

  static List<String> listCommand(String directory) {
    return List.of("find", directory, "-mindepth", "1", "-maxdepth", "1", "-type", "f", "-printf", "%s\\t%T@\\t%f\\n");
  }

  /** Deletes the file only if find still sees it regular and not newer than the cutoff; prints its name when it did. */
  static List<String> deleteCommand(String directory, String name, long cutoffMillis) {
    return List.of("find", directory, "-mindepth", "1", "-maxdepth", "1", "-type", "f", "-name", name,
        "!", "-newermt", "@" + Instant.ofEpochMilli(cutoffMillis).getEpochSecond(), "-print", "-delete");
  }

  @Override
  public List<SizedEntry> topLevelSizes(TargetConfig target) {
    String root = stripSlash(dataDirectory(target));
    PodCommand.Result du = pods.apply(target).run(duCommand(root));
    if (du.exitCode() > 1 || du.stdout().isBlank()) {
      throw new IllegalStateException("du of " + root + " failed (" + du.exitCode() + "): " + du.stderr().strip());
    }
    List<SizedEntry> sizes = new ArrayList<>();
    for (String line : du.stdout().split("\n")) {
      String[] parts = line.split("\t", 2);
      if (parts.length < 2 || stripSlash(parts[1]).equals(root)) {
        continue;
      }
      String path = parts[1];
      sizes.add(new SizedEntry(path.substring(path.lastIndexOf('/') + 1), Long.parseLong(parts[0].trim()) * 1024));
    }
    sizes.sort(Comparator.comparingLong(SizedEntry::bytes).reversed().thenComparing(SizedEntry::name));
    return sizes;
  }

  @Override
  public List<FileInfo> regularFiles(TargetConfig target, String directory) {
    PodCommand.Result find = pods.apply(target).run(listCommand(directory));
    if (find.exitCode() != 0) {
      if (find.stderr().contains("No such file")) {
        return List.of();
      }
      throw new IllegalStateException("find in " + directory + " failed (" + find.exitCode() + "): " + find.stderr().strip());
    }
    return parseListing(find.stdout());
  }

  /** find -printf '%s\t%T@\t%f\n': size, modification in epoch seconds with a fraction, name. */
  static List<FileInfo> parseListing(String output) {
    List<FileInfo> files = new ArrayList<>();
    for (String line : output.split("\n")) {
      String[] parts = line.split("\t", 3);
      if (parts.length == 3) {
        long millis = (long) (Double.parseDouble(parts[1]) * 1000);
        files.add(new FileInfo(parts[2], Long.parseLong(parts[0]), millis));
      }
    }
    return files;
  }

  @Override
  public boolean deleteIfUnmodifiedSince(TargetConfig target, String directory, String name, long cutoffMillis) {
    PodCommand.Result find = pods.apply(target).run(deleteCommand(directory, name, cutoffMillis));
    if (find.exitCode() != 0) {
      throw new IllegalStateException("deleting " + directory + "/" + name + " failed (" + find.exitCode() + "): " + find.stderr().strip());
    }
    return find.stdout().lines().anyMatch(l -> l.endsWith("/" + name));
  }

  private static String stripSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
