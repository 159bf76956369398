package io.pgrunbooks.bench;

import io.pgrunbooks.activities.storage.UploadResult;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The upload step of the seed's pipeline (variant 2), in a JVM of its own as {@code aws s3 cp}
 * would be a process of its own: the encrypted file streamed into the same store through the
 * project's ObjectStorage (same S3 client and multipart stream as the activity, 8 MB parts).
 * Args: file, key. Prints {@code RESULT uploadMs=... sizeBytes=...}.
 */
public final class FileUploadMain {
  private FileUploadMain() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    String key = args[1];
    BenchStore store = new BenchStore();
    long t0 = System.nanoTime();
    UploadResult result =
        store.storage.upload(BenchStore.NAME, key, "STANDARD_IA", null, out -> Files.copy(file, out));
    double ms = (System.nanoTime() - t0) / 1e6;
    System.out.printf(java.util.Locale.ROOT, "RESULT uploadMs=%.1f sizeBytes=%d%n", ms, result.bytes());
    System.exit(0);
  }
}
