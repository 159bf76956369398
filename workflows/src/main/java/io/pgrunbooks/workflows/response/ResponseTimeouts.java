package io.pgrunbooks.workflows.response;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Timeouts of the response's own steps; the repairs are children with their own. */
final class ResponseTimeouts {
  private ResponseTimeouts() {}

  /** Reading the target's configuration, storing a report of a few KB: seconds. */
  static final ActivityOptions QUICK =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setBackoffCoefficient(2).setMaximumAttempts(5).build())
          .build();
}
