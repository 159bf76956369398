package io.pgrunbooks.workflows.backup;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Timeouts and retries of the backup activities, in one place. Whether a failure is worth a retry
 * is the activities' call (non-retryable failures for bad input), not a list kept here.
 */
final class BackupTimeouts {
  private BackupTimeouts() {}

  /**
   * A dump streams for minutes to hours; the activity heartbeats every few seconds, so a dead worker
   * is noticed within the 30 s heartbeat timeout and the dump restarts on another worker (a dump
   * cannot resume mid-stream). Five attempts with backoff ride out restarts of the database or
   * the store.
   */
  static final ActivityOptions DUMP =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(12))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(5))
                  .setBackoffCoefficient(2)
                  .setMaximumInterval(Duration.ofMinutes(2))
                  .setMaximumAttempts(5)
                  .build())
          .build();

  /** Configuration lookups, metadata, pointers and metrics: seconds, a few retries. */
  static final ActivityOptions QUICK =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(60))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2)
                  .setMaximumAttempts(5)
                  .build())
          .build();
}
