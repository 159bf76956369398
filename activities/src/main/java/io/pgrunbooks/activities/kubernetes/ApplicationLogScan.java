package io.pgrunbooks.activities.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pgrunbooks.activities.hosting.LogPatterns;
import io.pgrunbooks.workflows.assessment.LogFinding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code kubectl logs} of application deployments, kept to the lines about database trouble. */
final class ApplicationLogScan {
  private static final Logger log = LoggerFactory.getLogger(ApplicationLogScan.class);

  /** kubectl's annotation naming the container that {@code kubectl logs} reads by default. */
  private static final String DEFAULT_CONTAINER_ANNOTATION =
      "kubectl.kubernetes.io/default-container";

  private final Supplier<KubernetesClient> kubernetes;

  ApplicationLogScan(Supplier<KubernetesClient> kubernetes) {
    this.kubernetes = kubernetes;
  }

  /**
   * {@code kubectl logs --tail --since} of every pod of each named deployment. A name may be
   * {@code namespace/name} for a deployment outside {@code defaultNamespace}.
   */
  List<LogFinding> scan(
      String defaultNamespace,
      List<String> deployments,
      int tailLines,
      int sinceSeconds,
      Runnable progress) {
    List<LogFinding> findings = new ArrayList<>();
    for (String deployment : deployments) {
      LogFinding finding;
      try {
        finding = scanDeployment(defaultNamespace, deployment, tailLines, sinceSeconds);
      } catch (RuntimeException e) {
        // One unreadable deployment must not hide what the others show.
        log.warn("cannot read logs of deployment {}: {}", deployment, e.toString());
        finding = new LogFinding(deployment, 0, List.of(), message(e));
      }
      findings.add(finding);
      progress.run();
    }
    return findings;
  }

  private LogFinding scanDeployment(
      String defaultNamespace, String deployment, int tailLines, int sinceSeconds) {
    int slash = deployment.indexOf('/');
    String namespace = slash < 0 ? defaultNamespace : deployment.substring(0, slash);
    String name = slash < 0 ? deployment : deployment.substring(slash + 1);
    KubernetesClient client = kubernetes.get();

    Deployment found = client.apps().deployments().inNamespace(namespace).withName(name).get();
    if (found == null) {
      return new LogFinding(
          deployment, 0, List.of(), "deployment " + name + " not found in " + namespace);
    }
    LabelSelector selector = found.getSpec() == null ? null : found.getSpec().getSelector();
    if (selector == null) {
      return new LogFinding(
          deployment, 0, List.of(), "deployment " + name + " in " + namespace + " has no selector");
    }
    List<Pod> pods =
        client.pods().inNamespace(namespace).withLabelSelector(selector).list().getItems().stream()
            .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
            .toList();
    if (pods.isEmpty()) {
      return new LogFinding(
          deployment, 0, List.of(), "deployment " + name + " in " + namespace + " has no pods");
    }

    StringBuilder logs = new StringBuilder();
    List<String> failures = new ArrayList<>();
    int lines = 0;
    for (Pod pod : pods) {
      String podName = pod.getMetadata().getName();
      try {
        String text = podLog(client, namespace, pod, tailLines, sinceSeconds);
        if (text != null && !text.isEmpty()) {
          lines += (int) text.lines().count();
          logs.append(text);
          if (!text.endsWith("\n")) {
            logs.append('\n');
          }
        }
      } catch (RuntimeException e) {
        // A pod whose container has not started has no log; the other replicas still do.
        log.debug("cannot read log of pod {}/{}: {}", namespace, podName, e.toString());
        failures.add(podName + ": " + message(e));
      }
    }
    String error =
        failures.isEmpty()
            ? null
            : "logs of " + failures.size() + " of " + pods.size() + " pods unreadable: "
                + String.join("; ", failures);
    return new LogFinding(deployment, lines, LogPatterns.databaseTrouble(logs.toString()), error);
  }

  private static String podLog(
      KubernetesClient client, String namespace, Pod pod, int tailLines, int sinceSeconds) {
    // The API server refuses a log request without a container for multi-container pods; pick the
    // one kubectl would.
    String container = logContainer(pod);
    return PodLogs.read(client, namespace, pod.getMetadata().getName(), new PodLogs.Request(container, false, sinceSeconds, tailLines));
  }

  /** kubectl's default container: the annotated one, else the first; null when only one. */
  static String logContainer(Pod pod) {
    List<Container> containers =
        pod.getSpec() == null || pod.getSpec().getContainers() == null
            ? List.of()
            : pod.getSpec().getContainers();
    if (containers.size() <= 1) {
      return null;
    }
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String annotated = annotations == null ? null : annotations.get(DEFAULT_CONTAINER_ANNOTATION);
    if (annotated != null && containers.stream().anyMatch(c -> annotated.equals(c.getName()))) {
      return annotated;
    }
    return containers.getFirst().getName();
  }

  private static String message(Throwable e) {
    // fabric8's own message repeats the request URL; the API server's Status says it plainly.
    if (e instanceof KubernetesClientException k
        && k.getStatus() != null
        && k.getStatus().getMessage() != null
        && !k.getStatus().getMessage().isBlank()) {
      return k.getStatus().getMessage();
    }
    return Stream.iterate(e, Objects::nonNull, Throwable::getCause)
        .map(Throwable::getMessage)
        .filter(m -> m != null && !m.isBlank())
        .findFirst()
        .orElse(e.getClass().getSimpleName());
  }
}
