package io.pgrunbooks.workflows.restore;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Timeouts and retries of the restore steps; which failures are final is the activities' call. */
final class RestoreTimeouts {
  private RestoreTimeouts() {}

  /**
   * Finding the backup, choosing the method, renaming, dropping: seconds, with retries for a
   * flaky store or a database that is restarting.
   */
  static final ActivityOptions QUICK =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2)
                  .setMaximumAttempts(5)
                  .build())
          .build();

  /**
   * The restore and its verification run for minutes to hours and heartbeat every few seconds:
   * a dead worker is noticed within 30 s and the step starts again on another (a pg_restore cannot
   * resume mid-stream; the activity drops the half-restored copy first).
   */
  static final ActivityOptions LONG =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(12))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(5))
                  .setBackoffCoefficient(2)
                  .setMaximumInterval(Duration.ofMinutes(2))
                  .setMaximumAttempts(4)
                  .build())
          .build();
}
