package io.pgrunbooks.workflows.replication;

import io.pgrunbooks.workflows.common.StepTimeouts;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Timeouts and retries of the replication steps; which failures are final is the activities' call. */
final class ReplicationTimeouts {
  private ReplicationTimeouts() {}

  /**
   * Catalog reads on the primary and replicas, TCP connects, a pod delete, pg_wal_replay_resume():
   * seconds each. A replica that is down is a finding of the checks, not a failure.
   */
  static final ActivityOptions QUICK = StepTimeouts.QUICK;

  /** pg_ctl start waits up to 120 s for the server (crash recovery of a replica may take that). */
  static final ActivityOptions START = StepTimeouts.RESTART;

  /**
   * pg_basebackup copies the whole cluster: hours for a big one. It heartbeats with its progress
   * every few seconds, so a dead worker is noticed within two minutes; a retry copies again into a
   * fresh directory (the kept one is never touched).
   */
  static final ActivityOptions REINITIALIZE =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(12))
          .setHeartbeatTimeout(Duration.ofMinutes(2))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(30))
                  .setMaximumAttempts(3)
                  .build())
          .build();
}
