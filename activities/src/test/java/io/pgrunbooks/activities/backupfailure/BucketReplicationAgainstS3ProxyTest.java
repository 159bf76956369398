package io.pgrunbooks.activities.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgrunbooks.activities.storage.TestStores;
import io.pgrunbooks.workflows.targets.Hosting;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.BackupSettings;
import io.pgrunbooks.activities.targets.TargetConfig.Endpoint;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.workflows.backupfailure.BucketReplication;
import io.pgrunbooks.workflows.backupfailure.BucketReplication.Status;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The replication check against a real S3 API (s3proxy), which does not implement GetBucketReplication. */
class BucketReplicationAgainstS3ProxyTest {
  static TestStores stores;
  static BackupStoreActivitiesImpl activities;

  @BeforeAll
  static void start() {
    stores = new TestStores();
    TargetRegistry targets =
        new TargetRegistry(
            new TargetsProperties(
                Map.of(
                    "good", target(TestStores.GOOD),
                    "wrong-keys", target(TestStores.WRONG_KEYS),
                    "no-bucket", target(TestStores.NO_BUCKET),
                    "no-backup", target(null))));
    activities = new BackupStoreActivitiesImpl(targets, stores.registry, stores.clients);
  }

  static TargetConfig target(String store) {
    return new TargetConfig(
        Hosting.HOST,
        new Endpoint("jdbc:postgresql://127.0.0.1:1/postgres", "postgres", null),
        List.of(), List.of(), List.of(), null, null, null,
        store == null ? null : new BackupSettings(store, null, null, null, null, null, null, null, null, null, null));
  }

  @Test
  void aStoreWithoutGetBucketReplicationSaysItIsNotReportedWithTheErrorCode() {
    BucketReplication replication = activities.checkBucketReplication("good");

    assertThat(replication.status()).isEqualTo(Status.NOT_REPORTED);
    assertThat(replication.store()).isEqualTo(TestStores.GOOD);
    assertThat(replication.bucket()).isEqualTo(stores.s3.bucket());
    assertThat(replication.errorCode()).isEqualTo("NotImplemented");
    assertThat(replication.finding()).startsWith("replication not reported by this store (NotImplemented, HTTP 501)");
    assertThat(replication.rules()).isEmpty();
  }

  @Test
  void s3proxyAnswersNotImplementedBeforeItChecksKeysOrBucket() {
    // What this store does, recorded: the answer says nothing about the keys or the bucket.
    for (String target : List.of("wrong-keys", "no-bucket")) {
      BucketReplication replication = activities.checkBucketReplication(target);

      assertThat(replication.status()).as(target).isEqualTo(Status.NOT_REPORTED);
      assertThat(replication.errorCode()).as(target).isEqualTo("NotImplemented");
    }
  }

  @Test
  void aTargetWithoutABackupStoreIsBadInput() {
    assertThatThrownBy(() -> activities.checkBucketReplication("no-backup"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage()).contains("pgrunbooks.targets.no-backup.backup.store");
            });
  }
}
