package io.pgrunbooks.workflows.connections;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Timeouts and retries of the connection steps; which failures are final is the activities' call. */
final class ConnectionTimeouts {
  private ConnectionTimeouts() {}

  /**
   * Catalog reads, terminations (each waits up to 5 s for the backend to go), patches of a few
   * deployments: seconds. A server refusing logins (exhaustion itself) is retried: the superuser
   * reserved slots usually still let the worker in.
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
   * A server restart: a fast shutdown plus a start, bounded by pg_ctl's own 120 s wait. Retried
   * twice: setting the same value and restarting again is the same step.
   */
  static final ActivityOptions RESTART =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(5))
                  .setMaximumAttempts(3)
                  .build())
          .build();
}
