package io.pgrunbooks.activities.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ContainerResource;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  /** Exec streams are read on virtual threads so that a hanging pod cannot pin a pool thread. */
  private static final ExecutorService STREAM_READERS =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("kubectl-exec-", 0).factory());

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

    PodResource pod = kubernetes.get().pods().inNamespace(namespace).withName(podName);
    ContainerResource execable =
        placement.container() == null || placement.container().isBlank()
            ? pod
            : pod.inContainer(placement.container());

    long deadline = System.nanoTime() + EXEC_TIMEOUT.toNanos();
    try (ExecWatch watch =
        execable.redirectingOutput().redirectingError().exec("df", "-Pk", dataDirectory)) {
      // Both streams are drained concurrently so that a full stderr cannot stall stdout.
      CompletableFuture<String> stdout = readFully(watch.getOutput());
      CompletableFuture<String> stderr = readFully(watch.getError());
      String output = stdout.get(remaining(deadline), TimeUnit.NANOSECONDS);
      String errors = stderr.get(remaining(deadline), TimeUnit.NANOSECONDS).strip();
      Integer exit = watch.exitCode().get(remaining(deadline), TimeUnit.NANOSECONDS);
      // exit is -1 when the status carried no code and null when the stream closed before it.
      if (exit != null && exit > 0) {
        throw new IllegalStateException(
            df + " exited with " + exit + (errors.isEmpty() ? "" : ": " + errors));
      }
      if (output.isBlank()) {
        throw new IllegalStateException(
            df + " printed nothing" + (errors.isEmpty() ? "" : ": " + errors));
      }
      return parseDf(dataDirectory, output);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          df + " did not answer within " + EXEC_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running df in " + where, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(df + " failed: " + cause.getMessage(), cause);
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("cannot exec df in " + where + ": " + e.getMessage(), e);
    }
  }

  private static CompletableFuture<String> readFully(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        STREAM_READERS);
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
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
