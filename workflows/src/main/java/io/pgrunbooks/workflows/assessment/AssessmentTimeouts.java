package io.pgrunbooks.workflows.assessment;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import java.util.Map;

/**
 * Timeouts and retries of every assessment activity, in one place.
 *
 * <p>The seed gives a person 10 minutes for the whole assessment; each check is a query or an API
 * call of milliseconds on a healthy system. A check is given 10 s per attempt: enough for a loaded
 * server, short enough that a hung one (or a worker that died mid-check) is noticed and retried
 * quickly: the resume time after a worker crash is about one start-to-close timeout. Three attempts
 * ride out a network blip; bad input is non-retryable and fails at once. The log scan reads several
 * deployments, so it gets longer and heartbeats after each one.
 */
final class AssessmentTimeouts {
  private AssessmentTimeouts() {}

  static final RetryOptions CHECK_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(500))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofSeconds(5))
          .setMaximumAttempts(3)
          .build();

  /** Default for every check: 10 s an attempt, 3 attempts. */
  static final ActivityOptions CHECK =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setRetryOptions(CHECK_RETRY)
          .build();

  /** Per-method overrides, keyed by activity type. */
  static final Map<String, ActivityOptions> PER_CHECK =
      Map.of(
          "ScanApplicationLogs",
          ActivityOptions.newBuilder(CHECK)
              .setStartToCloseTimeout(Duration.ofSeconds(60))
              .setHeartbeatTimeout(Duration.ofSeconds(15))
              .build());

  /** Looking a target up in configuration, as a local activity: instant, in the worker. */
  static final io.temporal.activity.LocalActivityOptions DESCRIBE_TARGET_LOCALLY =
      io.temporal.activity.LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(5))
          .setRetryOptions(CHECK_RETRY)
          .build();

  /** Looking a target up in configuration (runs recorded before it became a local activity). */
  static final ActivityOptions DESCRIBE_TARGET =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(5))
          .setRetryOptions(CHECK_RETRY)
          .build();
}
