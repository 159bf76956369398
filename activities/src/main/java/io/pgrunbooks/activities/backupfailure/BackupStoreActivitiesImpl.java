package io.pgrunbooks.activities.backupfailure;

import io.pgrunbooks.activities.storage.S3Clients;
import io.pgrunbooks.activities.storage.StorageFailures;
import io.pgrunbooks.activities.storage.StoreRegistry;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.backupfailure.BackupStoreActivities;
import io.pgrunbooks.workflows.backupfailure.BucketReplication;
import io.pgrunbooks.workflows.backupfailure.BucketReplication.Status;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.model.GetBucketReplicationRequest;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;
import software.amazon.awssdk.services.s3.model.ReplicationRule;

/**
 * The seed's "Ensure cross-region replication is working: aws s3api get-bucket-replication", with
 * the target's backup store and its credentials. Read-only.
 */
@Component
public class BackupStoreActivitiesImpl implements BackupStoreActivities {
  static final String NO_REPLICATION = "ReplicationConfigurationNotFoundError";
  private static final Set<String> NOT_IMPLEMENTED = Set.of("NotImplemented", "MethodNotAllowed", "NotSupported");

  private final TargetRegistry targets;
  private final StoreRegistry stores;
  private final S3Clients clients;

  public BackupStoreActivitiesImpl(TargetRegistry targets, StoreRegistry stores, S3Clients clients) {
    this.targets = targets;
    this.stores = stores;
    this.clients = clients;
  }

  @Override
  public BucketReplication checkBucketReplication(String target) {
    TargetConfig config = targets.get(target);
    if (config.backup() == null || config.backup().store() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "target " + target + " has no backup store: set pgrunbooks.targets." + target + ".backup.store",
          "NoBackupStore");
    }
    String store = config.backup().store();
    String bucket = stores.get(store).bucket();
    try {
      ReplicationConfiguration replication =
          clients.client(store)
              .getBucketReplication(GetBucketReplicationRequest.builder().bucket(bucket).build())
              .replicationConfiguration();
      List<String> rules = replication.rules().stream().map(BackupStoreActivitiesImpl::describe).toList();
      long enabled = replication.rules().stream().filter(r -> "Enabled".equals(r.statusAsString())).count();
      return new BucketReplication(
          target, store, bucket, Status.CONFIGURED, rules, null,
          enabled == 0
              ? "bucket " + bucket + " has replication rules but none is enabled: backups live in one region only"
              : "bucket " + bucket + " replicates with " + enabled + " enabled rule(s) of " + rules.size());
    } catch (AwsServiceException e) {
      return notConfigured(target, store, bucket, e);
    } catch (RuntimeException e) {
      throw StorageFailures.of(e, store, bucket, null);
    }
  }

  private static BucketReplication notConfigured(String target, String store, String bucket, AwsServiceException e) {
    if (StorageFailures.isTransient(e)) {
      throw StorageFailures.of(e, store, bucket, null);
    }
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String said = (code == null ? "HTTP " + e.statusCode() : code + ", HTTP " + e.statusCode());
    if (NO_REPLICATION.equals(code)) {
      return new BucketReplication(
          target, store, bucket, Status.NOT_CONFIGURED, List.of(), code,
          "bucket " + bucket + " has no replication configuration: backups live in one region only;"
              + " configure cross-region replication on the bucket (seed 003, Backup Redundancy)");
    }
    if ((code != null && NOT_IMPLEMENTED.contains(code)) || e.statusCode() == 501) {
      return new BucketReplication(
          target, store, bucket, Status.NOT_REPORTED, List.of(), code == null ? "HTTP " + e.statusCode() : code,
          "replication not reported by this store (" + said + "): check the store's own replication"
              + " or copy backups to a second store");
    }
    return new BucketReplication(
        target, store, bucket, Status.UNREADABLE, List.of(), code == null ? "HTTP " + e.statusCode() : code,
        StorageFailures.of(e, store, bucket, null).getOriginalMessage()
            + (e.statusCode() == 403 ? " (reading it needs s3:GetReplicationConfiguration on the bucket)" : ""));
  }

  private static String describe(ReplicationRule rule) {
    String destination = rule.destination() == null ? "?" : rule.destination().bucket();
    String storageClass =
        rule.destination() == null || rule.destination().storageClassAsString() == null
            ? "" : " (" + rule.destination().storageClassAsString() + ")";
    return (rule.id() == null ? "(no id)" : rule.id()) + ": " + rule.statusAsString() + " -> " + destination + storageClass;
  }
}
