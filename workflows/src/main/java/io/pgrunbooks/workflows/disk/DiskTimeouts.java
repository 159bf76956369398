package io.pgrunbooks.workflows.disk;

import io.pgrunbooks.workflows.common.StepTimeouts;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Timeouts and retries of the disk steps; which failures are final is the activities' call. */
final class DiskTimeouts {
  private DiskTimeouts() {}

  /**
   * Catalog reads, {@code df}, deleting a list of files, a claim patch: seconds. {@code du} of a large
   * data directory may take a minute or two, hence the 10 minutes. A full disk can make the server
   * refuse work for a moment: retried with backoff.
   */
  static final ActivityOptions QUICK = StepTimeouts.quick(Duration.ofMinutes(10));

  /**
   * VACUUM (FULL) of the listed tables: as long as the tables are large (hours for a big one), so
   * the bound is generous and liveness comes from the heartbeat sent after each table (and every
   * few seconds while one runs). A retry resumes after the last table done.
   */
  static final ActivityOptions VACUUM =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(12))
          .setHeartbeatTimeout(Duration.ofMinutes(2))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(10))
                  .setMaximumAttempts(3)
                  .build())
          .build();
}
