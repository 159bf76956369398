package io.pgrunbooks.activities.backupfailure;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgrunbooks.activities.storage.TestStores;
import io.pgrunbooks.workflows.backupfailure.StoreProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scenario 4's probe against a real S3 API (s3proxy): a good store, a wrong key pair, a missing bucket. */
class ObjectStoreProbeAgainstS3ProxyTest {
  static TestStores stores;
  static ObjectStoreProbe probe;

  @BeforeAll
  static void start() {
    stores = new TestStores();
    probe = new ObjectStoreProbe(stores.registry, stores.clients);
  }

  private static StoreProbe probe(String store) {
    return probe.probe("link", BucketReplicationAgainstS3ProxyTest.target(store));
  }

  @Test
  void aGoodStorePassesEveryStepLeavesNoProbeObjectAndHasNoBucketPolicy() {
    StoreProbe probe = probe(TestStores.GOOD);

    assertThat(probe.ok()).as(probe.describe()).isTrue();
    assertThat(probe.read()).isTrue();
    assertThat(probe.missingPermission()).isNull();
    assertThat(probe.problem()).isNull();
    // s3proxy 4.1 has no bucket policies: it answers 404 NoSuchPolicy (not AWS's NoSuchBucketPolicy) for every bucket.
    assertThat(probe.bucketPolicy()).isEqualTo("none set (404 NoSuchPolicy)");
    assertThat(probe.describe()).isEqualTo("store good bucket " + stores.s3.bucket()
        + ": HeadBucket, list, put, get and delete all pass; bucket policy: none set (404 NoSuchPolicy)");
    assertThat(stores.clients.client(TestStores.GOOD)
            .listObjectsV2(r -> r.bucket(stores.s3.bucket()).prefix("postgres-backups/")).contents())
        .as("the probe object was deleted")
        .noneMatch(o -> o.key().endsWith(ObjectStoreProbe.PROBE_KEY));
  }

  @Test
  void aWrongKeyPairIsNotAMissingPermission() {
    StoreProbe probe = probe(TestStores.WRONG_KEYS);

    assertThat(probe.ok()).isFalse();
    assertThat(probe.bucketExists()).isFalse();
    assertThat(probe.bucketMissing()).isFalse();
    assertThat(probe.missingPermission()).as("the key pair is wrong: no permission would help").isNull();
    assertThat(probe.problem()).startsWith("HeadBucket failed: ").contains("the store rejects the credentials (403 ")
        .contains("pgrunbooks.stores.wrong-keys");
    assertThat(probe.bucketPolicy()).as("not asked: the bucket was not reached").isNull();
  }

  @Test
  void aMissingBucketIsSaidAsSuch() {
    StoreProbe probe = probe(TestStores.NO_BUCKET);

    assertThat(probe.bucketMissing()).isTrue();
    assertThat(probe.problem()).isEqualTo("HeadBucket failed: bucket no-such-bucket does not exist (404 NoSuchBucket)");
    assertThat(probe.missingPermission()).isNull();
  }
}
