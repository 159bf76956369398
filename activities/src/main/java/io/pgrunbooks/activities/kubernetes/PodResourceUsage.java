package io.pgrunbooks.activities.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pgrunbooks.activities.hosting.ClusterHosting;
import io.pgrunbooks.activities.targets.TargetConfig.KubernetesPlacement;
import io.pgrunbooks.workflows.assessment.ResourceUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Memory and CPU of the primary pod, as {@code kubectl top pod} reads them from metrics.k8s.io. */
final class PodResourceUsage {
  private static final Logger log = LoggerFactory.getLogger(PodResourceUsage.class);

  private static final String METRICS_SOURCE = "metrics.k8s.io";

  private final Supplier<KubernetesClient> kubernetes;

  PodResourceUsage(Supplier<KubernetesClient> kubernetes) {
    this.kubernetes = kubernetes;
  }

  /** The primary pod's memory use against its limit, and its CPU in millicores. */
  ResourceUsage of(KubernetesPlacement placement) {
    String namespace = placement.namespace();
    String podName = Placements.required(placement.primaryPod(), "kubernetes.primaryPod");
    KubernetesClient client = kubernetes.get();

    PodMetrics metrics;
    try {
      metrics = client.top().pods().metrics(namespace, podName);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 && answeredByMetricsApi(e)) {
        // The API exists but knows no such pod: it is gone or not yet scraped, which is news.
        throw new IllegalStateException(
            "metrics.k8s.io has no metrics for pod " + namespace + "/" + podName
                + " (not running, or not scraped yet)",
            e);
      }
      if (e.getCode() == 404) {
        // metrics-server is an add-on; without it `kubectl top` has nothing to show either.
        log.debug("no pod metrics for {}/{}: {}", namespace, podName, e.getMessage());
        throw new ClusterHosting.NotApplicable(
            "the cluster offers no metrics API (metrics.k8s.io); pod resource use unknown");
      }
      throw e;
    }

    long memoryBytes = 0;
    BigDecimal cores = BigDecimal.ZERO;
    for (ContainerMetrics container : Objects.requireNonNullElse(metrics.getContainers(),
        List.<ContainerMetrics>of())) {
      Map<String, Quantity> usage = Objects.requireNonNullElse(container.getUsage(), Map.of());
      if (usage.get("memory") != null) {
        memoryBytes += Quantity.getAmountInBytes(usage.get("memory")).longValue();
      }
      if (usage.get("cpu") != null) {
        cores = cores.add(usage.get("cpu").getNumericalAmount());
      }
    }
    long millicores = cores.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValue();

    Long limit = memoryLimit(client, namespace, podName);
    Double percent = limit == null || limit == 0 ? null : Percent.of(memoryBytes, limit);
    return new ResourceUsage(METRICS_SOURCE, limit, memoryBytes, percent, millicores);
  }

  /**
   * Whether a 404 is the metrics API's own NotFound for the pod (a Status naming its group) rather
   * than the API server's plain "404 page not found" for an unregistered group.
   */
  private static boolean answeredByMetricsApi(KubernetesClientException e) {
    return e.getStatus() != null
        && e.getStatus().getDetails() != null
        && METRICS_SOURCE.equals(e.getStatus().getDetails().getGroup());
  }

  /**
   * The pod's memory limit: the sum of its containers' limits, or null when a container has none
   * (the pod is then bounded only by the node, and a percentage would mislead).
   */
  private static Long memoryLimit(KubernetesClient client, String namespace, String podName) {
    Pod pod;
    try {
      pod = client.pods().inNamespace(namespace).withName(podName).get();
    } catch (KubernetesClientException e) {
      log.warn(
          "cannot read pod {}/{} for its memory limit: {}", namespace, podName, e.getMessage());
      return null;
    }
    if (pod == null || pod.getSpec() == null || pod.getSpec().getContainers() == null
        || pod.getSpec().getContainers().isEmpty()) {
      return null;
    }
    long total = 0;
    for (Container container : pod.getSpec().getContainers()) {
      Quantity memory =
          container.getResources() == null || container.getResources().getLimits() == null
              ? null
              : container.getResources().getLimits().get("memory");
      if (memory == null) {
        return null;
      }
      total += Quantity.getAmountInBytes(memory).longValue();
    }
    return total;
  }
}
