package io.pgrunbooks.activities.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/**
 * Which Kubernetes API errors are worth retrying, for activities that patch application
 * deployments: a forbidden or unauthorized call is final (the service account needs a role), the
 * rest (API server away, conflicts, timeouts) may pass.
 */
public final class KubernetesFailures {
  private KubernetesFailures() {}

  /** Runs one API call, turning its failure into a retryable or final activity failure. */
  public static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 401 || e.getCode() == 403) {
        throw ApplicationFailure.newNonRetryableFailure(
            "the worker's service account may not do this: " + e.getMessage(), "KubernetesForbidden");
      }
      throw ApplicationFailure.newFailure("Kubernetes API: " + e.getMessage(), "KubernetesUnavailable");
    }
  }
}
