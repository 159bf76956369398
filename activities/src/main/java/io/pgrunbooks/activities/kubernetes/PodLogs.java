package io.pgrunbooks.activities.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A container's log in one {@code GET .../pods/<pod>/log}, as {@code kubectl logs} reads it.
 *
 * <p>Why not fabric8's {@code getLog()}: before reading, it waits for the pod to become ready or to
 * terminate, with a list and a watch of the pod. The pods whose logs the runbooks read are the ones
 * in trouble, which are neither; the watch needs a {@code watch} grant the worker's Role does not
 * have, and closing it at once wedges fabric8's mock API server in the tests.
 */
public final class PodLogs {
  private PodLogs() {}

  /** What to read: the same parameters as {@code kubectl logs}, in the order fabric8 writes them. */
  public record Request(String container, boolean previous, Integer sinceSeconds, Integer tailLines) {}

  /**
   * The log text; null when the pod or its log does not exist (404). Other refusals (401, 403, 400
   * for a container that has not started) throw fabric8's KubernetesClientException with the code.
   */
  public static String read(KubernetesClient client, String namespace, String pod, Request request) {
    StringBuilder url = new StringBuilder(client.getMasterUrl().toString().replaceAll("/+$", ""))
        .append("/api/v1/namespaces/").append(encode(namespace)).append("/pods/").append(encode(pod)).append("/log?pretty=false");
    if (request.container() != null) {
      url.append("&container=").append(encode(request.container()));
    }
    if (request.previous()) {
      url.append("&previous=true");
    }
    if (request.sinceSeconds() != null) {
      url.append("&sinceSeconds=").append(request.sinceSeconds());
    }
    if (request.tailLines() != null) {
      url.append("&tailLines=").append(request.tailLines());
    }
    return client.raw(url.toString());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
