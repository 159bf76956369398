package io.pgrunbooks.workflows.backup;

import io.pgrunbooks.workflows.common.RunProgress;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies a run's objects one after another (each restore loads the server), each in its own
 * scratch database that is dropped afterwards, also when the verification failed midway.
 */
public class VerifyBackupWorkflowImpl implements VerifyBackupWorkflow {

  /**
   * A restore of a large database takes long; the activity heartbeats each step and during the
   * download, so a dead worker is noticed within the heartbeat timeout and the check starts again.
   */
  private static final ActivityOptions RESTORE =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(12))
          .setHeartbeatTimeout(Duration.ofSeconds(60))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(5))
                  .setBackoffCoefficient(2)
                  .setMaximumAttempts(3)
                  .build())
          .build();

  private final VerificationActivities restore =
      Workflow.newActivityStub(VerificationActivities.class, RESTORE);

  private final VerificationActivities quick =
      Workflow.newActivityStub(VerificationActivities.class, BackupTimeouts.QUICK);

  @Override
  public VerificationResult verify(VerifyRequest request) {
    // 1. Verify S3 upload: read the run's metadata.json (the seed's `aws s3 cp .../metadata.json -`).
    RunProgress.enter("metadata", "Reading " + (request.metadataKey() == null ? "the latest backup's" : request.metadataKey()) + " metadata");
    BackupSet recorded = quick.loadBackupSet(request.target(), request.metadataKey());
    BackupSet set =
        request.keyRef() == null || request.keyRef().isBlank()
            ? recorded
            : new BackupSet(recorded.target(), recorded.store(), recorded.metadataKey(), recorded.label(),
                request.keyRef(), recorded.keyId(), recorded.objects());

    List<ObjectVerification> results = new ArrayList<>();
    int n = 0;
    for (BackupObject object : set.objects()) {
      if (request.databases() != null && !request.databases().isEmpty() && !request.databases().contains(object.database())) {
        continue;
      }
      // 2-3. Verify file integrity, then test the restore in a scratch database.
      String scratch = "pgrb_verify_" + set.label() + "_" + (++n);
      RunProgress.enter("verify", "Verifying " + object.database() + " by restoring it into " + scratch);
      try {
        results.add(restore.verifyObject(set, object, scratch));
      } catch (ActivityFailure failure) {
        // The scratch database may be left behind by the failed attempt: drop it (compensation).
        quick.dropScratchDatabase(set.target(), scratch);
        Throwable cause = failure.getCause();
        results.add(
            ObjectVerification.failed(
                object, cause instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(cause)));
      }
    }
    boolean passed = !results.isEmpty() && results.stream().allMatch(ObjectVerification::passed);
    RunProgress.enter(
        "done",
        passed
            ? "All " + results.size() + " object(s) of " + set.label() + " restore and check out"
            : results.stream().filter(r -> !r.passed()).count() + " of " + results.size() + " object(s) failed verification");
    return new VerificationResult(set.target(), set.metadataKey(), passed, results);
  }
}
