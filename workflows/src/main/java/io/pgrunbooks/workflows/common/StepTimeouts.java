package io.pgrunbooks.workflows.common;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Activity options the runbooks' steps share; a package keeps its own where its steps differ
 * (long VACUUMs, restores), and says why its values are what they are.
 */
public final class StepTimeouts {
  private StepTimeouts() {}

  /**
   * Catalog reads, signals to a few backends, small patches: two minutes an attempt; five attempts
   * from 1 s, doubling, ride out a blip (a server refusing logins during exhaustion included).
   */
  public static final ActivityOptions QUICK = quick(Duration.ofMinutes(2));

  /**
   * A server restart, bounded by pg_ctl's own 120 s wait; retried twice, since doing it again is
   * the same step (the activity checks first whether the earlier attempt already did it).
   */
  public static final ActivityOptions RESTART =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(5)).setMaximumAttempts(3).build())
          .build();

  /** {@link #QUICK}'s retries with another time per attempt, for steps that walk more. */
  public static ActivityOptions quick(Duration startToClose) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(startToClose)
        .setRetryOptions(
            RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setBackoffCoefficient(2).setMaximumAttempts(5).build())
        .build();
  }
}
