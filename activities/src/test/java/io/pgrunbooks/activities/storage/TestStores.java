package io.pgrunbooks.activities.storage;

import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.util.unit.DataSize;

/**
 * Stores over the JVM's shared s3proxy: {@code good} (its keys, 5 MiB parts to get several parts
 * from little data), {@code wrong-keys}, {@code nowhere} (a port nothing listens on) and {@code
 * no-bucket}.
 */
public final class TestStores {
  public static final String GOOD = "good";
  public static final String WRONG_KEYS = "wrong-keys";
  public static final String NOWHERE = "nowhere";
  public static final String NO_BUCKET = "no-bucket";

  public final S3ProxyServer s3 = S3ProxyServer.shared();
  final String wrongSecret = "wrong-" + System.nanoTime();
  public final StoreRegistry registry;
  public final S3Clients clients;
  public final ObjectStorage storage;

  public TestStores() {
    this(Map.of());
  }

  /**
   * The stores above plus one per entry of {@code bucketsByStore}: that bucket on the shared
   * s3proxy with its good keys; the bucket is not created (a test makes its own unique name to
   * test a missing bucket without disturbing {@code no-bucket} of the other tests).
   */
  public TestStores(Map<String, String> bucketsByStore) {
    StoreConfig good =
        StoreConfig.of(s3.endpoint(), s3.bucket(), s3.accessKeyRef(), s3.secretKeyRef())
            .withPartSize(DataSize.ofMegabytes(5));
    Map<String, StoreConfig> all = new java.util.HashMap<>();
    bucketsByStore.forEach((name, bucket) -> all.put(name, StoreConfig.of(s3.endpoint(), bucket, s3.accessKeyRef(), s3.secretKeyRef())));
    all.putAll(
                Map.of(
                    GOOD, good,
                    WRONG_KEYS,
                        StoreConfig.of(s3.endpoint(), s3.bucket(), s3.accessKeyRef(), "file:" + secretFile(wrongSecret)),
                    NOWHERE,
                        StoreConfig.of(
                            URI.create("http://127.0.0.1:" + Processes.freePort()),
                            s3.bucket(), s3.accessKeyRef(), s3.secretKeyRef()),
                    NO_BUCKET,
                        StoreConfig.of(s3.endpoint(), "no-such-bucket", s3.accessKeyRef(), s3.secretKeyRef())));
    registry = new StoreRegistry(new StoresProperties(all));
    clients =
        new S3Clients(
            registry,
            new SecretResolver(() -> { throw new IllegalStateException("no Kubernetes in these tests"); }));
    storage = new ObjectStorage(registry, clients);
  }

  private static Path secretFile(String value) {
    try {
      Path file = Files.createTempFile("pgrb-wrong-secret-", "");
      Files.writeString(file, value);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
