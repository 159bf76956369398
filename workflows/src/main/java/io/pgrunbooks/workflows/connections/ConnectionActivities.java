package io.pgrunbooks.workflows.connections;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/** The side effects of Scenario 2; each changing step does exactly what its gate showed. */
@ActivityInterface
public interface ConnectionActivities {

  /** Step 1, read-only: states, sources, usage and the idle sessions step 2 would end. */
  ConnectionDiagnosis diagnose(String target, int idleMinutes);

  /**
   * Step 2: ends exactly the approved sessions, each only if it is still the same session
   * (pid and backend start), still idle for longer than {@code idleMinutes} and still not a
   * superuser's; the others are skipped and named.
   */
  Termination terminateIdle(String target, List<IdleBackend> approved, int idleMinutes);

  /**
   * Step 3: {@code kubectl rollout restart} of each configured deployment: the pod template's
   * {@code kubectl.kubernetes.io/restartedAt} annotation set to {@code restartedAt} (the same value
   * on a retry, so a retried step does not restart twice). Returns "namespace/name" of each.
   */
  List<String> restartApplications(String target, String restartedAt);

  /**
   * Step 4 (host hosting): {@code ALTER SYSTEM SET max_connections}, {@code pg_ctl restart -m fast},
   * and proof that the server runs with the new value.
   */
  int setMaxConnections(String target, int maxConnections);

  /** Step 5: usage against the target's connections-warn-percent, after a change. */
  ConnectionCheck recheck(String target);
}
