package io.pgrunbooks.activities.crypto.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that it exists only when complete: into a temporary file beside it (same
 * filesystem, owner-only permissions, since a decrypted dump holds the data), synced, then renamed
 * over the target. On any failure, or Ctrl-C, the temporary file is removed and no partial output
 * is left for a person to mistake for a backup.
 */
final class AtomicOutputFile {
  private AtomicOutputFile() {}

  /** Fails early, before any work, when the target exists and may not be replaced. */
  static void checkWritable(Path target, boolean replace) throws UsageException {
    if (!replace && Files.exists(target)) {
      throw new UsageException(target + " exists; remove it or pass --force to replace it");
    }
    Path dir = target.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      throw new UsageException("directory " + dir + " does not exist");
    }
  }

  /** What to write; returns the number of bytes it consumed, for the report. */
  @FunctionalInterface
  interface Content {
    long writeTo(OutputStream out) throws IOException;
  }

  /** Writes {@code content} to {@code target}; returns what {@code content} returned. */
  static long write(Path target, Content content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".partial");
    Thread removeOnInterrupt = new Thread(() -> deleteQuietly(temp), "pgrb-remove-partial-output");
    Runtime.getRuntime().addShutdownHook(removeOnInterrupt);
    boolean renamed = false;
    try {
      long written;
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024)) {
        written = content.writeTo(new KeepOpenOutputStream(out));
        out.flush();
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      renamed = true;
      return written;
    } finally {
      if (!renamed) {
        deleteQuietly(temp);
      }
      try {
        Runtime.getRuntime().removeShutdownHook(removeOnInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway and finds nothing to delete
      }
    }
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // nothing more can be done; the name ends in .partial
    }
  }
}
