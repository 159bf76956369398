package io.pgrunbooks.workflows.applications;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * The seed's {@code kubectl scale deployment ... --replicas=N} around a restore, for the
 * deployments the target's configuration lists. Recording is its own step, so the counts are in
 * history before anything is scaled; scaling is idempotent (it sets, never adds).
 */
@ActivityInterface
public interface ApplicationActivities {

  /** The current replica count of every configured application deployment (empty when none). */
  @ActivityMethod
  List<DeploymentReplicas> recordReplicas(String target);

  /** Scales each deployment to 0 and waits until no pod of it is left running. */
  @ActivityMethod
  void scaleDown(String target, List<DeploymentReplicas> recorded);

  /** Scales each deployment back to its recorded count. */
  @ActivityMethod
  void scaleBack(String target, List<DeploymentReplicas> recorded);
}
