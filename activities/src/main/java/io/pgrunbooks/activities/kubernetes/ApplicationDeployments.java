package io.pgrunbooks.activities.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code kubectl get deployment}, {@code kubectl scale deployment} and {@code kubectl rollout
 * restart deployment} through fabric8. Scaling is
 * a merge patch of {@code spec.replicas}: it sets a count, so doing it twice is doing it once.
 */
public final class ApplicationDeployments {
  /** The annotation kubectl rollout restart sets on the pod template. */
  public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

  private final Supplier<KubernetesClient> kubernetes;

  public ApplicationDeployments(Supplier<KubernetesClient> kubernetes) {
    this.kubernetes = kubernetes;
  }

  /** The deployment's desired replica count, or empty when there is no such deployment. */
  public Optional<Integer> replicas(String namespace, String name) {
    Deployment d = kubernetes.get().apps().deployments().inNamespace(namespace).withName(name).get();
    if (d == null) {
      return Optional.empty();
    }
    Integer replicas = d.getSpec() == null ? null : d.getSpec().getReplicas();
    return Optional.of(replicas == null ? 1 : replicas); // Kubernetes' default when unset
  }

  public void scale(String namespace, String name, int replicas) {
    kubernetes.get().apps().deployments().inNamespace(namespace).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  /**
   * {@code kubectl rollout restart deployment}: the pod template's {@code
   * kubectl.kubernetes.io/restartedAt} annotation set, so the controller replaces the pods as in
   * any rolling update. Setting the same value again changes nothing. False when there is no such
   * deployment.
   */
  public boolean restart(String namespace, String name, String restartedAt) {
    if (kubernetes.get().apps().deployments().inNamespace(namespace).withName(name).get() == null) {
      return false;
    }
    kubernetes.get().apps().deployments().inNamespace(namespace).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + RESTARTED_AT + "\":\"" + restartedAt + "\"}}}}}");
    return true;
  }

  /** Pods of the deployment (by its selector) that have not finished: what a scale-down waits for. */
  public int livePods(String namespace, String name) {
    Deployment d = kubernetes.get().apps().deployments().inNamespace(namespace).withName(name).get();
    if (d == null || d.getSpec() == null || d.getSpec().getSelector() == null) {
      return 0;
    }
    Map<String, String> labels = d.getSpec().getSelector().getMatchLabels();
    if (labels == null || labels.isEmpty()) {
      return 0;
    }
    List<Pod> pods = kubernetes.get().pods().inNamespace(namespace).withLabels(labels).list().getItems();
    return (int) pods.stream()
        .filter(p -> p.getStatus() == null || !List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()))
        .count();
  }
}
