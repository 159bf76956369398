package io.pgrunbooks.activities.applications;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrunbooks.activities.kubernetes.ApplicationDeployments;
import io.pgrunbooks.activities.kubernetes.KubernetesFailures;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.applications.ApplicationActivities;
import io.pgrunbooks.workflows.applications.DeploymentReplicas;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The target's {@code application-deployments}, in the namespace of its {@code kubernetes}
 * placement (also for a database on a host: the applications may still run in Kubernetes).
 */
@Component
public class ApplicationActivitiesImpl implements ApplicationActivities {
  /** How long a scale-down waits for the pods to go before the step fails (and is compensated). */
  static final long DRAIN_MILLIS = 180_000;

  private final TargetRegistry targets;
  private final ApplicationDeployments deployments;

  public ApplicationActivitiesImpl(TargetRegistry targets, Supplier<KubernetesClient> kubernetes) {
    this.targets = targets;
    this.deployments = new ApplicationDeployments(kubernetes);
  }

  @Override
  public List<DeploymentReplicas> recordReplicas(String target) {
    TargetConfig config = targets.get(target);
    if (config.applicationDeployments().isEmpty()) {
      return List.of();
    }
    String namespace = namespace(config, target);
    List<DeploymentReplicas> recorded = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String name : config.applicationDeployments()) {
      kube(() -> deployments.replicas(namespace, name))
          .ifPresentOrElse(r -> recorded.add(new DeploymentReplicas(namespace, name, r)), () -> missing.add(name));
    }
    if (!missing.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "deployment(s) " + missing + " of target " + target + " do not exist in namespace " + namespace
              + ": fix application-deployments before anything is scaled", "ApplicationsNotFound");
    }
    return recorded;
  }

  @Override
  public void scaleDown(String target, List<DeploymentReplicas> recorded) {
    for (DeploymentReplicas d : recorded) {
      kube(() -> {
        deployments.scale(d.namespace(), d.name(), 0);
        return null;
      });
    }
    long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
    for (DeploymentReplicas d : recorded) {
      int live;
      while ((live = kube(() -> deployments.livePods(d.namespace(), d.name()))) > 0) {
        if (System.currentTimeMillis() > deadline) {
          throw ApplicationFailure.newFailure(
              live + " pod(s) of " + d.name() + " still run " + DRAIN_MILLIS / 1000 + " s after scaling to 0", "ApplicationsStillRunning");
        }
        Activity.getExecutionContext().heartbeat("waiting for " + live + " pod(s) of " + d.name() + " to stop");
        sleep();
      }
    }
  }

  @Override
  public void scaleBack(String target, List<DeploymentReplicas> recorded) {
    for (DeploymentReplicas d : recorded) {
      kube(() -> {
        deployments.scale(d.namespace(), d.name(), d.replicas());
        return null;
      });
    }
  }

  private static String namespace(TargetConfig config, String target) {
    if (config.kubernetes() == null || config.kubernetes().namespace() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "target " + target + " lists application-deployments but has no kubernetes.namespace to find them in", "InvalidTarget");
    }
    return config.kubernetes().namespace();
  }

  private static <T> T kube(Supplier<T> call) {
    return KubernetesFailures.call(call);
  }

  private static void sleep() {
    try {
      Thread.sleep(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "Interrupted");
    }
  }
}
