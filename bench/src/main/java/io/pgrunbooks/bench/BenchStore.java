package io.pgrunbooks.bench;

import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.storage.ObjectStorage;
import io.pgrunbooks.activities.storage.S3Clients;
import io.pgrunbooks.activities.storage.StoreConfig;
import io.pgrunbooks.activities.storage.StoreRegistry;
import io.pgrunbooks.activities.storage.StoresProperties;
import java.net.URI;
import java.util.Map;

/**
 * The store "bench" as a worker would configure it (default part size, 8 MB), in the child JVMs
 * that upload: from the system properties bench.s3.endpoint, bench.s3.bucket, bench.s3.access-ref
 * and bench.s3.secret-ref.
 */
final class BenchStore {
  static final String NAME = "bench";

  final SecretResolver secrets =
      new SecretResolver(() -> { throw new IllegalStateException("no Kubernetes in the bench"); });
  final StoreRegistry registry;
  final ObjectStorage storage;

  BenchStore() {
    StoreConfig config =
        StoreConfig.of(
            URI.create(required("bench.s3.endpoint")), required("bench.s3.bucket"),
            required("bench.s3.access-ref"), required("bench.s3.secret-ref"));
    registry = new StoreRegistry(new StoresProperties(Map.of(NAME, config)));
    storage = new ObjectStorage(registry, new S3Clients(registry, secrets));
  }

  /** The -D options that tell a child JVM where the store is. */
  static java.util.List<String> options(S3Child s3) {
    return java.util.List.of(
        "-Dbench.s3.endpoint=" + s3.endpoint(),
        "-Dbench.s3.bucket=" + S3Child.BUCKET,
        "-Dbench.s3.access-ref=" + s3.accessKeyRef(),
        "-Dbench.s3.secret-ref=" + s3.secretKeyRef());
  }

  static String required(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("system property " + name + " is required");
    }
    return value;
  }
}
