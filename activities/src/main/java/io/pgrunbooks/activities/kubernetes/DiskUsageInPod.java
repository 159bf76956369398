package io.pgrunbooks.activities.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The data directory's file system, from {@code kubectl exec <primary> -- df -Pk <dir>}. */
final class DiskUsageInPod {
  /** Bound on {@code df} inside the pod; it answers in milliseconds unless the mount hangs. */
  private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(15);

  /**
   * {@code df -P} data line: file system, 1024-blocks, Used, Available, Capacity, mount point. The
   * file system and the mount point may contain blanks, so the four numbers anchor the match.
   */
  private static final Pattern DF_LINE =
      Pattern.compile("^(.*?)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)\\s+(.*)$");

  private final Supplier<KubernetesClient> kubernetes;

  DiskUsageInPod(Supplier<KubernetesClient> kubernetes) {
    this.kubernetes = kubernetes;
  }

  /** {@code df} of the data directory inside the primary pod (its named container, if any). */
  StorageUsage of(KubernetesPlacement placement) {
    String namespace = placement.namespace();
    String podName = Placements.required(placement.primaryPod(), "kubernetes.primaryPod");
    String dataDirectory =
        Placements.required(placement.dataDirectory(), "kubernetes.dataDirectory");
    String where = "pod " + namespace + "/" + podName;
    String df = "df -Pk " + dataDirectory + " in " + where;

    OsCommand.Result result = PodExec.run(kubernetes.get(), placement, EXEC_TIMEOUT, List.of("df", "-Pk", dataDirectory));
    String errors = result.stderr().strip();
    if (!result.ok()) {
      throw new IllegalStateException(df + " exited with " + result.exitCode() + (errors.isEmpty() ? "" : ": " + errors));
    }
    if (result.stdout().isBlank()) {
      throw new IllegalStateException(df + " printed nothing" + (errors.isEmpty() ? "" : ": " + errors));
    }
    return parseDf(dataDirectory, result.stdout());
  }

  /**
   * Parses POSIX {@code df -Pk} output (header, then one line of 1024-byte blocks: total, used,
   * available, capacity, mount point).
   */
  static StorageUsage parseDf(String path, String output) {
    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    for (String line : lines) {
      if (line.startsWith("Filesystem")) {
        continue;
      }
      Matcher m = DF_LINE.matcher(line.strip());
      if (m.matches()) {
        long total = Long.parseLong(m.group(2)) * 1024;
        long used = Long.parseLong(m.group(3)) * 1024;
        long available = Long.parseLong(m.group(4)) * 1024;
        // df's Use%: reserved blocks count as unavailable, so used + available < total.
        double percent = used + available == 0 ? 0 : Percent.of(used, used + available);
        return new StorageUsage(path, total, used, available, percent);
      }
    }
    throw new IllegalArgumentException("unexpected df -Pk output for " + path + ": " + output);
  }
}
