package io.pgrunbooks.workflows.watch;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The seed's {@code kubectl apply -f - <<EOF ... PrometheusRule}, and its removal. Both idempotent. */
@ActivityInterface
public interface WatchActivities {

  /** Creates or replaces the rules named {@code name} (kubernetes: a PrometheusRule; host: a rules file). */
  @ActivityMethod
  InstalledRules installRules(String target, String name, String until);

  /** Removes them; nothing to remove is not an error. */
  @ActivityMethod
  void removeRules(String target, String name);
}
