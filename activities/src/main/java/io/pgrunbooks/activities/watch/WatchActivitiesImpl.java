package io.pgrunbooks.activities.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.targets.Hosting;
import io.pgrunbooks.workflows.watch.InstalledRules;
import io.pgrunbooks.workflows.watch.WatchActivities;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Kubernetes targets get a PrometheusRule in {@code pgrunbooks.watch.namespace} (default
 * monitoring, the seed's); host targets a rules file in {@code pgrunbooks.watch.rules-directory},
 * which the local Prometheus loads with {@code rule_files} (written atomically, so it never reads half).
 */
@Component
public class WatchActivitiesImpl implements WatchActivities {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final ResourceDefinitionContext PROMETHEUS_RULE = new ResourceDefinitionContext.Builder()
      .withGroup("monitoring.coreos.com").withVersion("v1").withKind("PrometheusRule").withPlural("prometheusrules")
      .withNamespaced(true).build();

  private final TargetRegistry targets;
  private final Supplier<KubernetesClient> kubernetes;
  private final String namespace;
  private final Path rulesDirectory;
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  @Autowired
  public WatchActivitiesImpl(
      TargetRegistry targets,
      Supplier<KubernetesClient> kubernetes,
      @Value("${pgrunbooks.watch.namespace:monitoring}") String namespace,
      @Value("${pgrunbooks.watch.rules-directory:/etc/prometheus/rules.d}") String rulesDirectory) {
    this.targets = targets;
    this.kubernetes = kubernetes;
    this.namespace = namespace;
    this.rulesDirectory = Path.of(rulesDirectory);
  }

  @Override
  public InstalledRules installRules(String target, String name, String until) {
    TargetConfig config = targets.get(target);
    String checked = checked(name);
    if (config.hosting() == Hosting.KUBERNETES) {
      GenericKubernetesResource rule = new GenericKubernetesResourceBuilder()
          .withApiVersion("monitoring.coreos.com/v1").withKind("PrometheusRule")
          .withNewMetadata().withName(checked).withNamespace(namespace)
          .addToLabels("app.kubernetes.io/managed-by", "pg-runbooks").addToLabels("pg-runbooks/target", checked(target.toLowerCase()))
          .addToAnnotations("pg-runbooks/until", until).endMetadata()
          .withAdditionalProperties(Map.of("spec", Map.of("groups", PostIncidentRules.groups(target, until))))
          .build();
      kube(() -> kubernetes.get().genericKubernetesResources(PROMETHEUS_RULE).inNamespace(namespace).resource(rule).createOr(r -> r.update()));
      return new InstalledRules("PrometheusRule " + namespace + "/" + checked, PostIncidentRules.alerts());
    }
    Path file = file(checked);
    try {
      Files.createDirectories(rulesDirectory);
      Path partial = Files.createTempFile(rulesDirectory, "." + checked, ".tmp");
      yaml.writeValue(partial.toFile(), Map.of("groups", PostIncidentRules.groups(target, until)));
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("cannot write " + file + ": " + e.getMessage(), "WatchIoError");
    }
    return new InstalledRules(file.toString(), PostIncidentRules.alerts());
  }

  @Override
  public void removeRules(String target, String name) {
    TargetConfig config = targets.get(target);
    String checked = checked(name);
    if (config.hosting() == Hosting.KUBERNETES) {
      kube(() -> kubernetes.get().genericKubernetesResources(PROMETHEUS_RULE).inNamespace(namespace).withName(checked).delete());
      return;
    }
    try {
      Files.deleteIfExists(file(checked));
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("cannot remove " + file(checked) + ": " + e.getMessage(), "WatchIoError");
    }
  }

  private Path file(String name) {
    return rulesDirectory.resolve(name + ".yml");
  }

  /** Rules are named like Kubernetes objects (lower-case, digits, dashes), which is also safe as a file name. */
  private static String checked(String name) {
    String normalized = name == null ? "" : name.toLowerCase().replace('_', '-').replace('.', '-');
    if (!NAME.matcher(normalized).matches()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "'" + name + "' cannot name alert rules (letters, digits, dashes; at most 63)", "InvalidWatchRequest");
    }
    return normalized;
  }

  private static void kube(Runnable call) {
    try {
      call.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 401 || e.getCode() == 403) {
        throw ApplicationFailure.newNonRetryableFailure(
            "the worker's service account may not manage PrometheusRules: " + e.getMessage(), "KubernetesForbidden");
      }
      throw ApplicationFailure.newFailure("Kubernetes API: " + e.getMessage(), "KubernetesUnavailable");
    }
  }
}
