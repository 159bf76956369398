package io.pgrunbooks.workflows.backupfailure;

import io.temporal.activity.ActivityInterface;

/**
 * Scenario 1's restart of a database that runs but does not answer ("Restart PostgreSQL if needed
 * (CAREFUL!)"), one activity per hosting, each behind its gate. Both are idempotent across a retry
 * after a worker crash: the caller passes what identifies the restart (a token, the postmaster it saw),
 * and a restart already done is not done again. Each returns what was done, in words.
 */
@ActivityInterface
public interface DatabaseRestartActivities {

  /**
   * Kubernetes: the seed's {@code kubectl rollout restart statefulset postgres-primary}, done as kubectl
   * does it (the pod template's {@code kubectl.kubernetes.io/restartedAt} set to {@code restartedAt}), with
   * {@code token} in a second annotation; a StatefulSet already carrying {@code token} is not patched
   * again. Then waits, heartbeating, until the rollout is done ({@code kubectl rollout status}); a rollout
   * that does not finish in 15 minutes fails for good, saying what it waited for and how the pods are.
   */
  String rolloutRestartStatefulSet(String target, String restartedAt, String token);

  /**
   * Host hosting: {@code pg_ctl restart -m fast} of the cluster, which runs but does not answer. When
   * its postmaster is no longer {@code postmasterBefore} (as the check before the gate saw it), an earlier
   * attempt restarted it already and nothing is done.
   */
  String restartUnansweringCluster(String target, String postmasterBefore);
}
