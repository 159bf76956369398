package io.pgrunbooks.workflows.pitr;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import java.util.Map;

/** Timeouts and retries of the PITR activities, in one place. */
final class PitrTimeouts {
  private PitrTimeouts() {}

  private static final RetryOptions RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(2))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setMaximumAttempts(5)
          .build();

  /**
   * Validation, the rename, starting the server and the check query take seconds; planning may
   * wait up to ~20 s for the sealed WAL segment to be archived, so each attempt gets 2 minutes.
   */
  static final ActivityOptions QUICK =
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2)).setRetryOptions(RETRY).build();

  /**
   * Per step, keyed by activity type. A fast shutdown writes a checkpoint (minutes on a busy
   * server); a restore copies the whole backup (hours); recovery replays all WAL since it (hours).
   * All three heartbeat, so a dead worker is noticed within the heartbeat timeout and the step
   * resumes on another one.
   */
  static final Map<String, ActivityOptions> PER_STEP =
      Map.of(
          "StopDatabase", heartbeating(Duration.ofMinutes(15), Duration.ofSeconds(30)),
          "RestoreBackup", heartbeating(Duration.ofHours(12), Duration.ofSeconds(60)),
          "FollowRecovery", heartbeating(Duration.ofHours(24), Duration.ofSeconds(60)));

  private static ActivityOptions heartbeating(Duration startToClose, Duration heartbeat) {
    return ActivityOptions.newBuilder(QUICK)
        .setStartToCloseTimeout(startToClose)
        .setHeartbeatTimeout(heartbeat)
        .build();
  }

  /** A gate left open this long escalates, then aborts: the plan's loss grows while it waits. */
  static final Duration GATE_TIMEOUT = Duration.ofHours(2);
}
