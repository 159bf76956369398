package io.pgrunbooks.activities.storage;

import java.net.URI;
import org.springframework.util.unit.DataSize;

/**
 * One object store as configured under {@code pgrunbooks.stores.<name>}.
 *
 * @param endpoint where the S3 API is, e.g. {@code http://127.0.0.1:9000} for s3proxy or MinIO;
 *     empty for AWS itself (the region decides the endpoint)
 * @param region the signing region; us-east-1 when absent (what s3proxy and MinIO expect)
 * @param bucket the bucket every key of this store lives in
 * @param pathStyle {@code http://host/bucket/key} instead of {@code http://bucket.host/key}; true
 *     by default when an endpoint is set, since local stores have no per-bucket DNS names
 * @param accessKeyRef secret reference ({@code env:}, {@code file:}, {@code k8s:}) of the access key
 *     id; empty, together with secretKeyRef, for the SDK's default credentials chain (instance
 *     profile, IRSA, environment)
 * @param secretKeyRef secret reference of the secret access key
 * @param partSize size of one multipart upload part, 8MB by default; S3 refuses parts under 5MB
 *     (except the last), and an upload holds about two parts in memory
 */
public record StoreConfig(
    URI endpoint,
    String region,
    String bucket,
    Boolean pathStyle,
    String accessKeyRef,
    String secretKeyRef,
    DataSize partSize) {

  /** S3's smallest part but the last. */
  public static final DataSize MINIMUM_PART_SIZE = DataSize.ofMegabytes(5);

  /** Part size when none is configured. */
  public static final DataSize DEFAULT_PART_SIZE = DataSize.ofMegabytes(8);

  public StoreConfig {
    endpoint = endpoint == null || endpoint.toString().isBlank() ? null : endpoint;
    region = region == null || region.isBlank() ? "us-east-1" : region;
    pathStyle = pathStyle == null ? endpoint != null : pathStyle;
    partSize = partSize == null ? DEFAULT_PART_SIZE : partSize;
  }

  /** A store with default region, path style and part size. */
  public static StoreConfig of(URI endpoint, String bucket, String accessKeyRef, String secretKeyRef) {
    return new StoreConfig(endpoint, null, bucket, null, accessKeyRef, secretKeyRef, null);
  }

  /** The same store with another part size (tests use S3's minimum to get several parts). */
  public StoreConfig withPartSize(DataSize size) {
    return new StoreConfig(endpoint, region, bucket, pathStyle, accessKeyRef, secretKeyRef, size);
  }

  /** Whether credentials come from the references rather than the SDK's default chain. */
  public boolean hasStaticCredentials() {
    return accessKeyRef != null && !accessKeyRef.isBlank();
  }
}
