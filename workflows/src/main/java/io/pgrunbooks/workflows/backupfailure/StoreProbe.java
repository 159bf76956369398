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
 * @param missingPermission the IAM permission each refused step needs, comma-separated in the order the
 *     steps ran (e.g. {@code s3:PutObject}, or {@code s3:ListBucket, s3:DeleteObject}); null when none was
 *     refused, or when the store rejected the key pair itself (then no permission is missing, the keys are wrong)
 * @param problem the store's words for each failed step, in order (null when all passed)
 * @param endpoint the store's endpoint (null: the SDK's default AWS endpoint, or no store configured)
 * @param bucketMissing HeadBucket said the bucket does not exist (404 NoSuchBucket): the one S3 problem
 *     this runbook fixes, behind its gate (wrong credentials and policies are fixed in the configuration)
 * @param read the probe object was read back (GetObject, what a verification and a restore need); null:
 *     not probed (results recorded before this step existed)
 * @param bucketPolicy the bucket's policy (GetBucketPolicy): its statements summarised, "none set", "not
 *     offered by this server", or why it could not be read; null: not asked (the bucket was not reached).
 *     Read-only and informative: it never makes the probe fail
 */
public record StoreProbe(
    String store, String bucket, boolean bucketExists, boolean listed, boolean written, boolean deleted,
    String missingPermission, String problem, String endpoint, boolean bucketMissing, Boolean read, String bucketPolicy) {

  /** A probe without the read-back and the bucket policy. */
  public StoreProbe(
      String store, String bucket, boolean bucketExists, boolean listed, boolean written, boolean deleted,
      String missingPermission, String problem, String endpoint, boolean bucketMissing) {
    this(store, bucket, bucketExists, listed, written, deleted, missingPermission, problem, endpoint, bucketMissing, null, null);
  }

  /** Every step a backup and its verification need passed ({@link #read} null counts: it was not probed). */
  public boolean ok() {
    return bucketExists && listed && written && deleted && !Boolean.FALSE.equals(read);
  }

  public String describe() {
    String policy = bucketPolicy == null ? "" : "; bucket policy: " + bucketPolicy;
    if (ok()) {
      return "store " + store + " bucket " + bucket + ": "
          + (read == null ? "HeadBucket, list, put and delete" : "HeadBucket, list, put, get and delete") + " all pass" + policy;
    }
    return "store " + store + " bucket " + bucket + ": " + problem
        + (missingPermission == null ? ""
            : " (missing permission" + (missingPermission.contains(",") ? "s" : "") + ": " + missingPermission + ")")
        + policy;
  }
}
