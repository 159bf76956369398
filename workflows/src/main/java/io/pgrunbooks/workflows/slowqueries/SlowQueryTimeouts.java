package io.pgrunbooks.workflows.slowqueries;

import io.pgrunbooks.workflows.common.StepTimeouts;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Timeouts and retries of the slow-query steps; which failures are final is the activities' call. */
final class SlowQueryTimeouts {
  private SlowQueryTimeouts() {}

  /**
   * Catalog and statistics reads (a few databases), cancellations (each followed for up to 5 s),
   * the re-check (waits up to 5 s for released sessions): seconds. Retried: every step re-checks
   * before it acts, so a second attempt never stops a backend twice.
   */
  static final ActivityOptions QUICK = StepTimeouts.QUICK;

  /**
   * VACUUM of a few large tables takes as long as it takes: a heartbeat after each table, so the
   * heartbeat timeout bounds one table's VACUUM; a retry resumes after the last table reported.
   */
  static final ActivityOptions VACUUM =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(4))
          .setHeartbeatTimeout(Duration.ofMinutes(30))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(10))
                  .setMaximumAttempts(3)
                  .build())
          .build();
}
