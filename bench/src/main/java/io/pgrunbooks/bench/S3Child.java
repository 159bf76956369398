package io.pgrunbooks.bench;

import io.pgrunbooks.harness.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The harness's S3ProxyServer (s3proxy over its filesystem store) in a JVM of its own, so that
 * its CPU and memory are not counted in any variant's process, and every variant uploads to the
 * same server over loopback. Its directory is removed at close.
 */
final class S3Child implements AutoCloseable {
  static final String BUCKET = "pg-backups";

  private final Path dir;
  private final int port;
  private final Process process;
  private final Thread stopAtExit;

  private S3Child(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.stopAtExit = new Thread(this::stopQuietly);
  }

  static S3Child start(Path dir, Path logFile) {
    BenchCluster.deleteTree(dir);
    try {
      Files.createDirectories(dir);
      Files.createDirectories(logFile.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int port = Processes.freePort();
    List<String> command =
        List.of(
            ChildJvm.java(), "-Xmx512m", "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
            "io.pgrunbooks.harness.S3ProxyServer", "--port", Integer.toString(port), "--dir", dir.toString(),
            "--bucket", BUCKET);
    try {
      Process p =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
      S3Child child = new S3Child(dir, port, p);
      Runtime.getRuntime().addShutdownHook(child.stopAtExit);
      Processes.awaitPort(port, Duration.ofSeconds(60), p);
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  String accessKeyRef() {
    return "file:" + dir.resolve("access-key");
  }

  String secretKeyRef() {
    return "file:" + dir.resolve("secret-key");
  }

  /** Removes every object (and multipart leftover) from the bucket, between samples. */
  void emptyBucket() {
    emptyBucket(BUCKET);
  }

  /** The same for another bucket of this server. */
  void emptyBucket(String name) {
    Path bucket = dir.resolve("data").resolve(name);
    try (Stream<Path> entries = Files.list(bucket)) {
      entries.forEach(BenchCluster::deleteTree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Deletes bucket {@code name} with everything in it, as someone removing it would (nothing when it
   * does not exist). The filesystem store keeps a bucket as a directory of the same name under
   * data/ and looks it up on every request, so the server answers 404 NoSuchBucket from then on.
   */
  void deleteBucket(String name) {
    BenchCluster.deleteTree(dir.resolve("data").resolve(name));
  }

  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(stopAtExit);
    } catch (IllegalStateException shuttingDown) {
      // running the hooks already
    }
  }

  private void stopQuietly() {
    ChildJvm.stop(process);
    try {
      BenchCluster.deleteTree(dir);
    } catch (RuntimeException ignored) {
      // best effort
    }
  }
}
