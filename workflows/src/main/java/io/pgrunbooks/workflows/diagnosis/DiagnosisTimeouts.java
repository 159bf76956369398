package io.pgrunbooks.workflows.diagnosis;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Timeouts and retries of the diagnosis's activities, in one place.
 *
 * <p>Each check is a catalog query or an API call: 30 s an attempt is ample on a loaded server (its
 * statements are bounded at 5 s by PostgresConnector; the statement and table checks visit each
 * database and store an artifact), and a worker that dies mid-check is noticed within that. Three
 * attempts ride out a blip; bad input and missing permissions are non-retryable and fail at once.
 * A diagnosis is for an incident: waiting minutes for a hung check helps nobody, the checklist
 * says it timed out and the rest of the report stands.
 */
final class DiagnosisTimeouts {
  private DiagnosisTimeouts() {}

  static final RetryOptions RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(500))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofSeconds(5))
          .setMaximumAttempts(3)
          .build();

  /** Every check: 30 s an attempt, 3 attempts. */
  static final ActivityOptions CHECK =
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).setRetryOptions(RETRY).build();

  /** The target's configuration, looked up inside the first workflow task. */
  static final LocalActivityOptions DESCRIBE_TARGET =
      LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).setRetryOptions(RETRY).build();
}
