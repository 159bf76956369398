package io.pgrunbooks.activities.disk;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ContainerResource;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.temporal.failure.ApplicationFailure;
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

/** {@code kubectl exec <primary> [-c container] -- command} through fabric8; both streams read concurrently. */
final class KubernetesPodCommand implements PodCommand {
  /** du of a large data directory may take minutes; find and delete take milliseconds. */
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private static final ExecutorService READERS =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("disk-exec-", 0).factory());

  private final Supplier<KubernetesClient> kubernetes;
  private final KubernetesPlacement placement;

  KubernetesPodCommand(Supplier<KubernetesClient> kubernetes, KubernetesPlacement placement) {
    this.kubernetes = kubernetes;
    this.placement = placement;
  }

  @Override
  public Result run(List<String> command) {
    if (placement.primaryPod() == null || placement.primaryPod().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure("target has no kubernetes.primaryPod", "InvalidTarget");
    }
    PodResource pod = kubernetes.get().pods().inNamespace(placement.namespace()).withName(placement.primaryPod());
    ContainerResource target = placement.container() == null || placement.container().isBlank() ? pod : pod.inContainer(placement.container());
    String what = String.join(" ", command) + " in pod " + placement.namespace() + "/" + placement.primaryPod();
    try (ExecWatch watch = target.redirectingOutput().redirectingError().exec(command.toArray(String[]::new))) {
      CompletableFuture<String> out = read(watch.getOutput());
      CompletableFuture<String> err = read(watch.getError());
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      String stdout = out.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      String stderr = err.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      Integer exit = watch.exitCode().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return new Result(exit == null || exit < 0 ? 0 : exit, stdout, stderr);
    } catch (TimeoutException e) {
      throw ApplicationFailure.newFailure(what + " did not finish within " + TIMEOUT, "CommandTimedOut");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure(what + " interrupted", "Interrupted");
    } catch (ExecutionException | KubernetesClientException e) {
      throw ApplicationFailure.newFailure(what + " failed: " + e.getMessage(), "KubernetesUnavailable");
    }
  }

  private static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, READERS);
  }
}
