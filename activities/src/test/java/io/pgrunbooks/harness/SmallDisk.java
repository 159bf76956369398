package io.pgrunbooks.harness;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small file system of its own (tmpfs with a size limit), so that a test can fill a disk for
 * real. Mounting needs root with CAP_SYS_ADMIN; where that is not allowed {@link #mount} returns
 * null and the test says what it does instead. Names stay short: the cluster's Unix socket lives in it (at most 107 bytes).
 */
public final class SmallDisk implements AutoCloseable {
  private final Path mountPoint;

  private SmallDisk(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  /** A tmpfs of {@code megabytes} MiB on a new directory, or null when this machine does not allow mounting. */
  public static SmallDisk mount(String name, int megabytes) {
    try {
      Path dir = Files.createTempDirectory("pgrbd-" + name);
      if (run(List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=1777", "tmpfs", dir.toString())) != 0) {
        Files.delete(dir);
        return null;
      }
      return new SmallDisk(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path path() {
    return mountPoint;
  }

  /** Bytes to write into the file system of {@code directory} to bring its use to {@code fraction} (0.94: 94 %). */
  public static long bytesToFill(Path directory, double fraction) throws IOException {
    FileStore store = Files.getFileStore(directory);
    long used = store.getTotalSpace() - store.getUnallocatedSpace();
    return (long) (fraction * (used + store.getUsableSpace())) - used;
  }

  /** Writes {@code bytes} bytes to {@code file} (for real, block by block) and sets its modification time. */
  public static void write(Path file, long bytes, Instant modified) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      byte[] block = new byte[1 << 20];
      Arrays.fill(block, (byte) 'x');
      for (long left = bytes; left > 0; left -= block.length) {
        f.write(block, 0, (int) Math.min(block.length, left));
      }
    }
    Files.setLastModifiedTime(file, FileTime.from(modified));
  }

  @Override
  public void close() {
    try {
      run(List.of("umount", "-l", mountPoint.toString()));
      Files.deleteIfExists(mountPoint);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
