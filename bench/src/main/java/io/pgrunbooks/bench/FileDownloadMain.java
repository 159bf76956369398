package io.pgrunbooks.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The download step of the seed's restore (variant a), in a JVM of its own as {@code aws s3 cp
 * s3://... file} would be a process of its own: one GET of the object through the project's
 * ObjectStorage (the same S3 client as the restore activity), copied to a file. Args: key, file.
 * Prints {@code RESULT downloadMs=... sizeBytes=...}.
 */
public final class FileDownloadMain {
  private FileDownloadMain() {}

  public static void main(String[] args) throws Exception {
    String key = args[0];
    Path file = Path.of(args[1]);
    BenchStore store = new BenchStore();
    long t0 = System.nanoTime();
    long bytes;
    try (InputStream in = store.storage.get(BenchStore.NAME, key)) {
      bytes = Files.copy(in, file);
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    System.out.printf(java.util.Locale.ROOT, "RESULT downloadMs=%.1f sizeBytes=%d%n", ms, bytes);
    System.exit(0);
  }
}
