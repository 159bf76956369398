package io.pgrunbooks.workflows.validation;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;
import java.util.Map;

/** The post-recovery checks that the assessment does not already have. All read-only. */
@ActivityInterface
public interface ValidationActivities {

  /** {@code SELECT count(*), state FROM pg_stat_activity GROUP BY state} (null state: background processes). */
  @ActivityMethod
  Map<String, Integer> connectionsByState(String target);

  /** The seed's {@code pg_stat_database} query for the target's databases (all when none configured). */
  @ActivityMethod
  List<DatabaseStatistics> databaseStatistics(String target);

  /** {@code curl -f} of each of the target's {@code application-health-urls}. */
  @ActivityMethod
  List<HealthCheck> checkApplicationHealth(String target);
}
