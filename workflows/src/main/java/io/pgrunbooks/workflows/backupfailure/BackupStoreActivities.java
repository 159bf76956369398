package io.pgrunbooks.workflows.backupfailure;

import io.temporal.activity.ActivityInterface;

/** The backup store's side of the backup-failure runbook's prevention measures. */
@ActivityInterface
public interface BackupStoreActivities {

  /**
   * Reads the replication configuration of the target's backup bucket (S3 GetBucketReplication).
   * A store that does not implement it, or refuses to say, is a finding, not a failure; a store
   * that cannot be reached is retried.
   */
  BucketReplication checkBucketReplication(String target);
}
