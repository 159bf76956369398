package io.pgrunbooks.workflows.crashrecovery;

import io.pgrunbooks.workflows.common.StepTimeouts;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Timeouts and retries of the crash recovery steps; which failures are final is the activities' call. */
final class CrashRecoveryTimeouts {
  private CrashRecoveryTimeouts() {}

  /**
   * API reads, pod logs, {@code du} and {@code find} of one directory, deleting a few files:
   * seconds, up to a minute for {@code du} of a large data directory.
   */
  static final ActivityOptions QUICK = StepTimeouts.quick(Duration.ofMinutes(3));

  /**
   * A restart: the replacement pod is scheduled, its volume attached and PostgreSQL's crash
   * recovery replays WAL since the last checkpoint, which may take minutes; the activity
   * heartbeats while it waits. Retried: it compares the pod's uid (the postmaster's pid) with the
   * one recorded before the gate, so a second attempt does not restart twice.
   */
  static final ActivityOptions RESTART =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(15))
          .setHeartbeatTimeout(Duration.ofMinutes(1))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(5))
                  .setBackoffCoefficient(2)
                  .setMaximumAttempts(3)
                  .build())
          .build();
}
