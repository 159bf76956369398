package io.pgrunbooks.activities.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ContainerResource;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.pgrunbooks.activities.host.OsCommand;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
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

/**
 * {@code kubectl exec <primary> [-c container] -- command...}: the arguments go to the container as
 * a list, never through a shell. Fails with {@link IllegalStateException} when the pod cannot be
 * exec'ed into (not running) or does not answer in time.
 */
public final class PodExec {
  /** Exec streams are read on virtual threads so that a hanging pod cannot pin a pool thread. */
  private static final ExecutorService STREAM_READERS =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("kubectl-exec-", 0).factory());

  private PodExec() {}

  /** Runs {@code command} in the primary pod (its named container, if any) and returns its exit and output. */
  public static OsCommand.Result run(
      KubernetesClient client, KubernetesPlacement placement, Duration timeout, List<String> command) {
    String namespace = placement.namespace();
    String podName = Placements.required(placement.primaryPod(), "kubernetes.primaryPod");
    String where = "pod " + namespace + "/" + podName;
    String what = String.join(" ", command) + " in " + where;
    PodResource pod = client.pods().inNamespace(namespace).withName(podName);
    ContainerResource execable =
        placement.container() == null || placement.container().isBlank() ? pod : pod.inContainer(placement.container());
    long deadline = System.nanoTime() + timeout.toNanos();
    try (ExecWatch watch = execable.redirectingOutput().redirectingError().exec(command.toArray(String[]::new))) {
      // Both streams are drained concurrently so that a full stderr cannot stall stdout.
      CompletableFuture<String> stdout = readFully(watch.getOutput());
      CompletableFuture<String> stderr = readFully(watch.getError());
      String output = stdout.get(remaining(deadline), TimeUnit.NANOSECONDS);
      String errors = stderr.get(remaining(deadline), TimeUnit.NANOSECONDS).strip();
      Integer exit = watch.exitCode().get(remaining(deadline), TimeUnit.NANOSECONDS);
      // exit is -1 when the status carried no code and null when the stream closed before it.
      return new OsCommand.Result(exit == null || exit < 0 ? 0 : exit, output, errors);
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " did not answer within " + timeout.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + what, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(what + " failed: " + cause.getMessage(), cause);
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("cannot exec in " + where + ": " + e.getMessage(), e);
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
}
