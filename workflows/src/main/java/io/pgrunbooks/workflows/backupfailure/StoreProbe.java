package io.pgrunbooks.workflows.backupfailure;

/**
 * Scenario 4's checks of the target's object store, as the worker's configured credentials see it.
 *
 * @param store the store's name (pgrunbooks.stores)
 * @param bucket its bucket
 * @param bucketExists HeadBucket answered
 * @param listed a listing of the backup prefix answered
 * @param written a small probe object was put
 * @param deleted and deleted again
 * @param missingPermission the permission the first refused step needs (e.g. s3:PutObject), null when none was refused
 * @param problem the store's words for the first failed step (null when all passed)
 * @param endpoint the store's endpoint (null: the SDK's default AWS endpoint, or no store configured)
 * @param bucketMissing HeadBucket said the bucket does not exist (404 NoSuchBucket): the one S3 problem
 *     this runbook fixes, behind its gate (wrong credentials and policies are fixed in the configuration)
 */
public record StoreProbe(
    String store, String bucket, boolean bucketExists, boolean listed, boolean written, boolean deleted,
    String missingPermission, String problem, String endpoint, boolean bucketMissing) {
  public boolean ok() {
    return bucketExists && listed && written && deleted;
  }

  public String describe() {
    return ok() ? "store " + store + " bucket " + bucket + ": HeadBucket, list, put and delete all pass"
        : "store " + store + " bucket " + bucket + ": " + problem
            + (missingPermission == null ? "" : " (missing permission: " + missingPermission + ")");
  }
}
