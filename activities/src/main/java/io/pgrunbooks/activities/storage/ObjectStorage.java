package io.pgrunbooks.activities.storage;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * What activities do with a store, by store name and key: stream a large object in, read one back,
 * and the small reads and writes around them (metadata.json, a {@code latest} pointer, listings).
 * Every store error leaves as an {@link ApplicationFailure} from {@link StorageFailures}.
 */
@Component
public class ObjectStorage {
  static final String OCTET_STREAM = "application/octet-stream";

  private final StoreRegistry registry;
  private final S3Clients clients;

  public ObjectStorage(StoreRegistry registry, S3Clients clients) {
    this.registry = registry;
    this.clients = clients;
  }

  /** What the caller writes into an upload. */
  @FunctionalInterface
  public interface UploadBody {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Streams what {@code body} writes to {@code key}: the object exists afterwards if and only if
   * the body returned normally. When the body throws, the upload is aborted and the body's
   * exception is rethrown. Closing {@code out} inside the body (a wrapping encryptor's close does)
   * only flushes; completion happens after the body returns.
   *
   * @param storageClass e.g. STANDARD or STANDARD_IA
   * @param progress receives the bytes the store has acknowledged, after each part, on this thread
   */
  public UploadResult upload(
      String store, String key, String storageClass, LongConsumer progress, UploadBody body)
      throws IOException {
    MultipartUploadStream out = openUpload(store, key, storageClass, progress);
    try {
      body.writeTo(new CompletionShield(out));
    } catch (Throwable t) {
      out.abort();
      throw t;
    }
    return out.complete();
  }

  /**
   * A raw upload stream, for callers that cannot hand over a body: close() completes the object,
   * so a caller that fails must call {@link MultipartUploadStream#abort()} before closing.
   */
  public MultipartUploadStream openUpload(
      String store, String key, String storageClass, LongConsumer progress) {
    StoreConfig config = registry.get(store);
    StorageClass parsed = StorageClass.fromValue(storageClass);
    if (parsed == null || parsed == StorageClass.UNKNOWN_TO_SDK_VERSION) {
      throw ApplicationFailure.newNonRetryableFailure(
          "storage class '" + storageClass + "' is not one of " + StorageClass.knownValues(),
          StorageFailures.STORAGE_ERROR);
    }
    return new MultipartUploadStream(
        clients.client(store), store, config.bucket(), key, parsed,
        (int) config.partSize().toBytes(), progress);
  }

  /**
   * Aborts every incomplete multipart upload whose key starts with {@code keyPrefix}: what a worker
   * killed mid-upload leaves behind (invisible, but billed). An upload still being written under
   * the prefix is aborted too, so pass the key (or the run's own prefix) that only this activity
   * writes. Returns how many were aborted.
   */
  public int abortIncompleteUploads(String store, String keyPrefix) {
    if (keyPrefix == null || keyPrefix.isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "refusing to abort every upload in store " + store + ": give a key prefix",
          StorageFailures.STORAGE_ERROR);
    }
    return call(store, keyPrefix, (s3, bucket) -> {
      int aborted = 0;
      for (var upload :
          s3.listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(keyPrefix)).uploads()) {
        if (upload.key().startsWith(keyPrefix)) { // stores that ignore the prefix exist
          s3.abortMultipartUpload(r -> r.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
          aborted++;
        }
      }
      return aborted;
    });
  }

  /** The object's description, or empty when there is no object at {@code key}. */
  public Optional<StoredObject> head(String store, String key) {
    return call(store, key, (s3, bucket) -> {
      HeadObjectResponse h;
      try {
        h = s3.headObject(r -> r.bucket(bucket).key(key));
      } catch (NoSuchKeyException e) {
        // HEAD has no error body: a 404 is also what a missing bucket answers, so ask once more.
        s3.headBucket(r -> r.bucket(bucket));
        return Optional.empty();
      }
      return Optional.of(
          new StoredObject(key, h.contentLength(), h.storageClassAsString(), h.eTag(), h.lastModified()));
    });
  }

  /** The object's content as a stream the caller must close; no object is a non-retryable failure. */
  public InputStream get(String store, String key) {
    return call(store, key, (s3, bucket) -> s3.getObject(r -> r.bucket(bucket).key(key)));
  }

  /** The first {@code length} bytes of the object (fewer when it is shorter), with one ranged GET. */
  public byte[] getFirst(String store, String key, int length) {
    try (InputStream in = call(store, key, (s3, bucket) ->
        s3.getObject(r -> r.bucket(bucket).key(key).range("bytes=0-" + (length - 1))))) {
      return in.readNBytes(length);
    } catch (IOException e) {
      throw StorageFailures.of(e, store, registry.get(store).bucket(), key);
    }
  }

  /** Writes a small object in one request (metadata.json, pointers). */
  public void put(String store, String key, byte[] content, String contentType) {
    call(store, key, (s3, bucket) ->
        s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(content)));
  }

  /** Writes a small UTF-8 text object, e.g. JSON. */
  public void putText(String store, String key, String text, String contentType) {
    put(store, key, text.getBytes(StandardCharsets.UTF_8), contentType);
  }

  /** The object's content as UTF-8 text: for the small objects {@link #putText} writes. */
  public String getText(String store, String key) {
    try (InputStream in = get(store, key)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw StorageFailures.of(e, store, registry.get(store).bucket(), key);
    }
  }

  /** Every object whose key starts with {@code prefix}, in key order. */
  public List<StoredObject> list(String store, String prefix) {
    return call(store, prefix, (s3, bucket) ->
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
            .map(o -> new StoredObject(o.key(), o.size(), o.storageClassAsString(), o.eTag(), o.lastModified()))
            .toList());
  }

  /**
   * Copies an object within the store, server side. S3 copies at most 5 GB this way: for a {@code
   * latest} pointer to a backup prefer a small object naming it ({@link #putText}).
   */
  public void copy(String store, String sourceKey, String targetKey) {
    call(store, targetKey, (s3, bucket) ->
        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(sourceKey)
            .destinationBucket(bucket).destinationKey(targetKey)));
  }

  /** {@code s3://bucket/key}: how a person finds the object with the aws CLI. */
  public String uri(String store, String key) {
    return "s3://" + registry.get(store).bucket() + "/" + key;
  }

  private <T> T call(String store, String key, StoreCall<T> call) {
    String bucket = registry.get(store).bucket();
    try {
      return call.apply(clients.client(store), bucket);
    } catch (SdkException e) {
      throw StorageFailures.of(e, store, bucket, key);
    }
  }

  @FunctionalInterface
  private interface StoreCall<T> {
    T apply(S3Client s3, String bucket);
  }

  /** Passes writes through; its close() only flushes, so the body cannot complete the upload. */
  private static final class CompletionShield extends OutputStream {
    private final OutputStream out;

    CompletionShield(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
