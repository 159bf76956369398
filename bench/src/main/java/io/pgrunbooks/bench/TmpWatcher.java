package io.pgrunbooks.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Samples how many bytes a directory tree holds (every 100 ms) and keeps the most seen, and when
 * it was last seen growing (to tell a staged restore's decryption from its pg_restore).
 */
final class TmpWatcher {
  private final Path dir;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile long max;
  private volatile long grewAtNanos = System.nanoTime();

  private TmpWatcher(Path dir) {
    this.dir = dir;
    this.thread = Thread.ofPlatform().daemon().name("tmp-watcher").start(this::loop);
  }

  static TmpWatcher start(Path dir) {
    return new TmpWatcher(dir);
  }

  private void loop() {
    while (running.get()) {
      long now = bytes(dir);
      if (now > max) {
        max = now;
        grewAtNanos = System.nanoTime();
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Stops sampling and returns the most bytes seen (also sampled once more now). */
  long stop() throws InterruptedException {
    running.set(false);
    thread.interrupt();
    thread.join();
    return Math.max(max, bytes(dir));
  }

  /** System.nanoTime() of the last sample that found more bytes than any before (or of the start). */
  long grewAtNanos() {
    return grewAtNanos;
  }

  static long bytes(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException gone) {
          return 0;
        }
      }).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }
}
