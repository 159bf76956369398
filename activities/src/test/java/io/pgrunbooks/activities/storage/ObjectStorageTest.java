package io.pgrunbooks.activities.storage;

import static io.pgrunbooks.activities.storage.TestStores.GOOD;
import static io.pgrunbooks.activities.storage.TestStores.NOWHERE;
import static io.pgrunbooks.activities.storage.TestStores.NO_BUCKET;
import static io.pgrunbooks.activities.storage.TestStores.WRONG_KEYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ApplicationFailure;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Small reads and writes against s3proxy, and what each kind of broken store turns into. */
class ObjectStorageTest {
  private static final TestStores stores = new TestStores();
  private final ObjectStorage storage = stores.storage;
  private final String prefix = "storage-test/" + UUID.randomUUID() + "/";

  @AfterAll
  static void closeClients() {
    stores.clients.close();
  }

  @Test
  void putHeadGetListAndCopy() {
    storage.putText(GOOD, prefix + "app/metadata.json", "{\"database\":\"app\"}", "application/json");
    storage.put(GOOD, prefix + "app/app.dump", new byte[] {1, 2, 3}, "application/octet-stream");
    storage.putText(GOOD, prefix + "other/metadata.json", "{}", "application/json");

    assertThat(storage.getText(GOOD, prefix + "app/metadata.json")).isEqualTo("{\"database\":\"app\"}");
    StoredObject head = storage.head(GOOD, prefix + "app/app.dump").orElseThrow();
    assertThat(head.size()).isEqualTo(3);
    assertThat(head.storageClass()).isEqualTo("STANDARD");
    assertThat(head.etag()).isEqualTo("5289df737df57326fcdd22597afb1fac"); // md5 of 01 02 03
    assertThat(head.lastModified()).isNotNull();
    assertThat(storage.head(GOOD, prefix + "absent")).isEmpty();

    assertThat(storage.list(GOOD, prefix + "app/"))
        .extracting(StoredObject::key, StoredObject::size)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(prefix + "app/app.dump", 3L),
            org.assertj.core.groups.Tuple.tuple(prefix + "app/metadata.json", 18L));
    assertThat(storage.list(GOOD, prefix + "nothing-here/")).isEmpty();

    storage.copy(GOOD, prefix + "app/metadata.json", prefix + "latest.json");
    assertThat(storage.getText(GOOD, prefix + "latest.json")).isEqualTo("{\"database\":\"app\"}");
    assertThat(storage.uri(GOOD, "a/b")).isEqualTo("s3://" + stores.s3.bucket() + "/a/b");
  }

  @Test
  void getOfAMissingObjectIsNotFound() {
    assertFailure(() -> storage.get(GOOD, prefix + "absent"), false, StorageFailures.NOT_FOUND)
        .contains(prefix + "absent");
  }

  @Test
  void wrongCredentials_failForGood_withAMessageNamingTheStoreNotTheSecret() {
    for (Executable call :
        new Executable[] {
          () -> storage.putText(WRONG_KEYS, prefix + "k", "x", "text/plain"),
          () -> storage.head(WRONG_KEYS, prefix + "k"),
          () -> storage.list(WRONG_KEYS, prefix)
        }) {
      assertFailure(call, false, StorageFailures.ACCESS_DENIED)
          .contains("store wrong-keys", "s3://" + stores.s3.bucket() + "/", "pgrunbooks.stores.wrong-keys")
          .doesNotContain(stores.wrongSecret)
          .doesNotContain(stores.s3.secretKey());
    }
  }

  @Test
  void anUnreachableEndpoint_isRetryable_withAMessageSayingSo() {
    assertFailure(
            () -> storage.putText(NOWHERE, prefix + "k", "x", "text/plain"),
            true,
            StorageFailures.TRANSIENT_STORAGE_ERROR)
        .contains("store nowhere", "cannot reach the store", "Connection refused");
  }

  @Test
  void anUnknownBucket_failsForGood_namingIt() {
    assertFailure(
            () -> storage.putText(NO_BUCKET, prefix + "k", "x", "text/plain"), false, StorageFailures.NOT_FOUND)
        .contains("bucket no-such-bucket does not exist", "pgrunbooks.stores.no-bucket.bucket");
    // HEAD answers a bare 404 for a missing bucket too: it must not pass for a missing object
    assertFailure(() -> storage.head(NO_BUCKET, prefix + "k"), false, StorageFailures.NOT_FOUND)
        .contains("no-such-bucket");
    assertFailure(() -> storage.upload(NO_BUCKET, prefix + "k", "STANDARD", null, out -> out.write(1)),
            false, StorageFailures.NOT_FOUND)
        .contains("no-such-bucket");
  }

  @Test
  void anUnknownStore_failsForGood_listingTheKnownOnes() {
    assertFailure(() -> storage.head("archive", "k"), false, StoreRegistry.UNKNOWN_STORE)
        .contains("unknown store 'archive'", "good", "nowhere");
  }

  private static org.assertj.core.api.AbstractStringAssert<?> assertFailure(
      Executable call, boolean retryable, String type) {
    Throwable thrown = org.junit.jupiter.api.Assertions.assertThrows(ApplicationFailure.class, call);
    ApplicationFailure failure = (ApplicationFailure) thrown;
    assertThat(failure.isNonRetryable()).as("non-retryable: %s", failure.getOriginalMessage()).isEqualTo(!retryable);
    assertThat(failure.getType()).as(failure.getOriginalMessage()).isEqualTo(type);
    return assertThat(failure.getOriginalMessage());
  }
}
