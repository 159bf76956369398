package io.pgrunbooks.workflows.pitr;

import io.temporal.activity.ActivityInterface;

/**
 * The steps of "Point-in-Time Recovery", each idempotent: a retry after a worker died mid-step
 * finds what the first attempt did (the directory moved aside, a marker in the run's work
 * directory, the server's own state) and never does it twice.
 */
@ActivityInterface
public interface PitrActivities {

  /**
   * Validates the request (names, the target time against the recoverable window, disk space)
   * before anything changes; a target outside the window fails non-retryably with type {@code
   * TargetOutsideWindow} and the window in the message.
   */
  RecoveryPlan planRecovery(PitrRequest request, String label);

  /** Stops the database (host: pg_ctl stop -m fast; kubernetes: scale to 0). Returns the LSN of the shutdown checkpoint when known. */
  String stopDatabase(RecoveryPlan plan);

  /** Renames the data directory to the plan's aside directory; done already when that exists. */
  String moveDataDirectoryAside(RecoveryPlan plan);

  /** pgbackrest restore of the plan's backup set with recovery to the target time; heartbeats. */
  void restoreBackup(RecoveryPlan plan);

  /** Starts the restored server, which begins recovery; nothing when it already runs. */
  void startDatabase(RecoveryPlan plan);

  /**
   * Follows recovery until the server is promoted, heartbeating the replay position, then proves
   * from the server's log that it stopped at the target; anything else fails non-retryably with
   * type {@code RecoveryMissedTarget} and where it stopped.
   */
  RecoveryPoint followRecovery(RecoveryPlan plan);

  /** Runs a one-value query read-only in {@code database} (null: the primary endpoint's). */
  String runCheckQuery(RecoveryPlan plan, String database, String sql);
}
