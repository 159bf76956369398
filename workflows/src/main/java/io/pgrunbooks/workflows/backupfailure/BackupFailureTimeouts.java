package io.pgrunbooks.workflows.backupfailure;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Timeouts and retries of the backup-failure steps; which failures are final is the activities' call. */
final class BackupFailureTimeouts {
  private BackupFailureTimeouts() {}

  /** Reads, checks and the role repair: seconds each; retried a few times. */
  static final ActivityOptions QUICK =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setRetryOptions(RetryOptions.newBuilder()
              .setInitialInterval(Duration.ofSeconds(1))
              .setBackoffCoefficient(2)
              .setMaximumAttempts(4)
              .build())
          .build();

  /** pg_ctl start waits up to 300 s for the server (crash recovery may replay WAL). */
  static final ActivityOptions START =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(6))
          .setRetryOptions(RetryOptions.newBuilder()
              .setInitialInterval(Duration.ofSeconds(5))
              .setMaximumAttempts(3)
              .build())
          .build();

  /** Host: pg_ctl restart waits up to 120 s for the server (ServerRestart); a retry does not restart twice. */
  static final ActivityOptions RESTART =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(4))
          .setRetryOptions(RetryOptions.newBuilder()
              .setInitialInterval(Duration.ofSeconds(5))
              .setMaximumAttempts(3)
              .build())
          .build();

  /**
   * Kubernetes: the rollout of the primary's StatefulSet is waited for up to 15 minutes (pods replaced
   * one by one, each recovering); the wait heartbeats every poll, so a dead worker is noticed in a minute
   * and the retry waits on without patching again.
   */
  static final ActivityOptions ROLLOUT =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(20))
          .setHeartbeatTimeout(Duration.ofMinutes(1))
          .setRetryOptions(RetryOptions.newBuilder()
              .setInitialInterval(Duration.ofSeconds(5))
              .setMaximumAttempts(3)
              .build())
          .build();
}
