package io.pgrunbooks.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 API on loopback: s3proxy (4.x, which replaced jclouds with its own stores) over its
 * filesystem store rooted in a directory, with AWS v2/v4 signatures checked against an access key
 * pair of its own. The keys are also written to files so tests use {@code file:} secret
 * references, as users do. Multipart uploads are emulated by the store (parts are hidden files,
 * joined on completion); storage classes are kept in extended attributes of the object's file.
 *
 * <p>{@link #main} runs the same server as a process for the local stack.
 */
public final class S3ProxyServer implements AutoCloseable {
  private static S3ProxyServer shared;

  private final S3Proxy proxy;
  private final BlobStore blobStore;
  private final Path directory;
  private final String bucket;
  private final String accessKey;
  private final String secretKey;
  private final Path accessKeyFile;
  private final Path secretKeyFile;
  private Path temporaryRoot;

  private S3ProxyServer(
      S3Proxy proxy, BlobStore blobStore, Path directory, String bucket,
      String accessKey, String secretKey, Path accessKeyFile, Path secretKeyFile) {
    this.proxy = proxy;
    this.blobStore = blobStore;
    this.directory = directory;
    this.bucket = bucket;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.accessKeyFile = accessKeyFile;
    this.secretKeyFile = secretKeyFile;
  }

  /** One server for the whole test JVM, stopped at exit. */
  public static synchronized S3ProxyServer shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /**
   * A server in a new temp directory (removed by {@link #close()}) on a free port, with random keys
   * and a bucket "pgrb-test".
   */
  public static S3ProxyServer start() {
    try {
      Path dir = Files.createTempDirectory("pgrb-s3-");
      Path access = dir.resolve("access-key");
      Path secret = dir.resolve("secret-key");
      writeSecret(access, "pgrb-" + UUID.randomUUID().toString().substring(0, 8));
      writeSecret(secret, UUID.randomUUID().toString());
      S3ProxyServer server = start(0, dir.resolve("data"), "pgrb-test", access, secret);
      server.temporaryRoot = dir;
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A server storing under {@code dataDir} on {@code port} (0: any free one), creating {@code
   * bucket} if absent, with the key pair read from the two files.
   */
  public static S3ProxyServer start(int port, Path dataDir, String bucket, Path accessKeyFile, Path secretKeyFile) {
    try {
      Files.createDirectories(dataDir);
      String accessKey = Files.readString(accessKeyFile).strip();
      String secretKey = Files.readString(secretKeyFile).strip();
      BlobStore blobStore = new FilesystemNio2BlobStore(dataDir.toAbsolutePath().toString());
      S3Proxy proxy =
          S3Proxy.builder()
              .blobStore(blobStore)
              .endpoint(URI.create("http://127.0.0.1:" + port))
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
              .build();
      proxy.start();
      if (!blobStore.containerExists(bucket)) {
        blobStore.createContainer(bucket);
      }
      return new S3ProxyServer(
          proxy, blobStore, dataDir, bucket, accessKey, secretKey, accessKeyFile, secretKeyFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy did not start on port " + port + ": " + e.getMessage(), e);
    }
  }

  /** Where clients send requests (path-style). */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public int port() {
    return proxy.getPort();
  }

  /** The bucket created at start. */
  public String bucket() {
    return bucket;
  }

  /** Creates another bucket (idempotent). */
  public void createBucket(String name) {
    if (!blobStore.containerExists(name)) {
      blobStore.createContainer(name);
    }
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  /** {@code file:} secret reference of the access key id. */
  public String accessKeyRef() {
    return "file:" + accessKeyFile.toAbsolutePath();
  }

  /** {@code file:} secret reference of the secret access key. */
  public String secretKeyRef() {
    return "file:" + secretKeyFile.toAbsolutePath();
  }

  /** The directory the filesystem store keeps buckets in (one directory per bucket). */
  public Path dataDirectory() {
    return directory;
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy did not stop", e);
    } finally {
      blobStore.close();
      deleteTemporaryRoot();
    }
  }

  private void deleteTemporaryRoot() {
    if (temporaryRoot == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(temporaryRoot)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }

  /**
   * Runs the server until killed: {@code --port N --dir PATH --bucket NAME --access-key-file PATH
   * --secret-key-file PATH}. Missing key files are created with random keys.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    Path dir = Path.of(options.getOrDefault("dir", ".local/s3"));
    Path access = Path.of(options.getOrDefault("access-key-file", dir.resolve("access-key").toString()));
    Path secret = Path.of(options.getOrDefault("secret-key-file", dir.resolve("secret-key").toString()));
    if (!Files.exists(access)) {
      writeSecret(access, "pgrb-" + UUID.randomUUID().toString().substring(0, 8));
    }
    if (!Files.exists(secret)) {
      writeSecret(secret, UUID.randomUUID().toString());
    }
    S3ProxyServer server =
        start(
            Integer.parseInt(options.getOrDefault("port", "9000")),
            dir.resolve("data"),
            options.getOrDefault("bucket", "pg-backups"),
            access,
            secret);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println(
        "s3proxy listening on " + server.endpoint() + ", bucket " + server.bucket()
            + ", keys " + server.accessKeyRef() + " " + server.secretKeyRef());
    Thread.currentThread().join();
  }

  /** Writes a key readable by its owner only. */
  private static void writeSecret(Path file, String value) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, value);
  }
}
