package io.pgrunbooks.activities.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The seed's {@code kubectl scale statefulset postgres-primary --replicas=0|1}. The StatefulSet is
 * named after the primary pod without its ordinal (postgres-primary-0 belongs to
 * postgres-primary), which holds for every StatefulSet pod and still works while no pod exists.
 */
final class StatefulSetScale {
  private static final Duration POD_GONE_TIMEOUT = Duration.ofMinutes(10);

  private final Supplier<KubernetesClient> kubernetes;

  StatefulSetScale(Supplier<KubernetesClient> kubernetes) {
    this.kubernetes = kubernetes;
  }

  /** Scales to 0 and waits until the primary pod is gone (its volume is then free). */
  void scaleDown(KubernetesPlacement placement, Consumer<String> progress) {
    String name = statefulSetOf(placement);
    kubernetes.get().apps().statefulSets().inNamespace(placement.namespace()).withName(name).scale(0);
    long deadline = System.nanoTime() + POD_GONE_TIMEOUT.toNanos();
    while (podExists(placement)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "pod " + placement.primaryPod() + " still exists " + POD_GONE_TIMEOUT + " after scaling " + name + " to 0");
      }
      progress.accept("waiting for pod " + placement.primaryPod() + " to terminate");
      sleep();
    }
  }

  /** Scales to 1; the pod starts (and recovers) on its own. */
  void scaleUp(KubernetesPlacement placement) {
    kubernetes.get().apps().statefulSets().inNamespace(placement.namespace()).withName(statefulSetOf(placement)).scale(1);
  }

  boolean podExists(KubernetesPlacement placement) {
    return kubernetes.get().pods().inNamespace(placement.namespace()).withName(placement.primaryPod()).get() != null;
  }

  static String statefulSetOf(KubernetesPlacement placement) {
    String pod = Placements.required(placement.primaryPod(), "kubernetes.primaryPod");
    if (!pod.matches(".+-\\d+")) {
      throw new IllegalArgumentException("primary pod " + pod + " is not a StatefulSet pod (<statefulset>-<ordinal>)");
    }
    return pod.replaceFirst("-\\d+$", "");
  }

  private static void sleep() {
    try {
      Thread.sleep(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the pod to terminate", e);
    }
  }
}
