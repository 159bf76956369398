package io.pgrunbooks.workflows.maintenance;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** The seed's {@code psql -d link_users -c "VACUUM ANALYZE;"}, a table at a time so that it can report and resume. */
@ActivityInterface
public interface MaintenanceActivities {

  /** The databases to maintain: the request's, checked against the target's, or all of them. */
  @ActivityMethod
  List<String> databasesToMaintain(String target, List<String> requested);

  /** VACUUM (ANALYZE) each user table; a retried attempt resumes after the last table it reported. */
  @ActivityMethod
  DatabaseMaintenance vacuumAnalyze(String target, String database);
}
