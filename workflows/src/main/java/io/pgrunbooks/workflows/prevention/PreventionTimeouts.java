package io.pgrunbooks.workflows.prevention;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Timeouts and retries of the prevention steps; which failures are final is the activities' call. */
final class PreventionTimeouts {
  private PreventionTimeouts() {}

  /** Catalog reads and CREATE EXTENSION in a few databases: seconds. */
  static final ActivityOptions QUICK =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setRetryOptions(
              RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setBackoffCoefficient(2).setMaximumAttempts(5).build())
          .build();

  /** ALTER SYSTEM and a restart bounded by pg_ctl's own 120 s wait; a retry is the same step. */
  static final ActivityOptions RESTART =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(5)).setMaximumAttempts(3).build())
          .build();
}
