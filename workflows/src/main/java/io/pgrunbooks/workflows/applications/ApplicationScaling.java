package io.pgrunbooks.workflows.applications;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Workflow-side helper for the scale-down / scale-back pair, so that every destructive runbook
 * records first, scales down once, and scales back (as compensation too) the same way.
 */
public final class ApplicationScaling {
  /** Scaling waits for pods to go, so it may take a while; the API server may be briefly away. */
  private static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(2))
                  .setMaximumInterval(Duration.ofSeconds(30))
                  .setMaximumAttempts(10)
                  .setDoNotRetry("InvalidTarget", "ApplicationsNotFound")
                  .build())
          .build();

  private final ApplicationActivities activities =
      Workflow.newActivityStub(ApplicationActivities.class, OPTIONS);
  private List<DeploymentReplicas> recorded = List.of();
  private boolean down;

  public List<DeploymentReplicas> record(String target) {
    recorded = activities.recordReplicas(target);
    return recorded;
  }

  public void scaleDown(String target) {
    if (!recorded.isEmpty()) {
      down = true; // set first: a scale-down that failed halfway is still put back
      activities.scaleDown(target, recorded);
    }
  }

  /** Puts the recorded counts back; does nothing when nothing was scaled down. */
  public void scaleBack(String target) {
    if (down) {
      activities.scaleBack(target, recorded);
      down = false;
    }
  }

  public boolean isDown() {
    return down;
  }

  public List<DeploymentReplicas> recorded() {
    return recorded;
  }

  /** "scale api-gateway 3 -> 0, user-svc 2 -> 0 in link-services". */
  public static String describe(List<DeploymentReplicas> deployments, boolean down) {
    if (deployments.isEmpty()) {
      return "no application deployments are configured for this target";
    }
    String namespaces =
        deployments.stream().map(DeploymentReplicas::namespace).distinct().collect(Collectors.joining(", "));
    return "scale "
        + deployments.stream()
            .map(d -> down ? d.describeScale(0) : d.name() + " 0 -> " + d.replicas())
            .collect(Collectors.joining(", "))
        + " in " + namespaces;
  }
}
