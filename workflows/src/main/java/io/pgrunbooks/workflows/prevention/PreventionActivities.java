package io.pgrunbooks.workflows.prevention;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/** The side effects of enabling pg_stat_statements; each change does exactly what its gate showed. */
@ActivityInterface
public interface PreventionActivities {

  /** Read-only: the library's availability, preload and the extension in each of the databases. */
  StatementStatistics inspectStatementStatistics(String target, List<String> databases);

  /**
   * Host hosting: {@code ALTER SYSTEM SET shared_preload_libraries} to the current list plus
   * pg_stat_statements, then {@code pg_ctl restart -m fast}. Nothing when it is loaded already (a
   * retry after the restart). Returns the list the server runs with.
   */
  String preloadPgStatStatements(String target);

  /** {@code CREATE EXTENSION IF NOT EXISTS pg_stat_statements} in each database; returns where it was created. */
  List<String> createPgStatStatements(String target, List<String> databases);
}
