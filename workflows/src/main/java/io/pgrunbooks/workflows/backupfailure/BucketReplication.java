package io.pgrunbooks.workflows.backupfailure;

import java.util.List;

/**
 * Prevention, "Backup Redundancy": the backup bucket's cross-region replication as the store
 * reports it (the seed's {@code aws s3api get-bucket-replication --bucket link-backups}).
 *
 * @param target the target whose backup store was read
 * @param store the store's name under {@code pgrunbooks.stores}
 * @param bucket the backup bucket
 * @param status what the store said
 * @param rules one line per replication rule: id, status, destination bucket and storage class
 *     (empty unless {@link Status#CONFIGURED})
 * @param errorCode the S3 error code behind a status other than CONFIGURED (null otherwise)
 * @param finding what this means, in a sentence a person can act on
 */
public record BucketReplication(
    String target,
    String store,
    String bucket,
    Status status,
    List<String> rules,
    String errorCode,
    String finding) {

  public BucketReplication {
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /** What GetBucketReplication gave. */
  public enum Status {
    /** Replication rules exist; see {@link #rules()} for whether they are enabled. */
    CONFIGURED,
    /** The bucket has no replication configuration: backups live in one region only. */
    NOT_CONFIGURED,
    /** The store does not implement GetBucketReplication (s3proxy, some S3-compatible stores). */
    NOT_REPORTED,
    /** The store refused to say (permissions, a missing bucket): see {@link #finding()}. */
    UNREADABLE
  }
}
