package io.pgrunbooks.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This JVM's peak RSS and bytes written to storage, from /proc/self (Linux). */
final class ProcSelf {
  private ProcSelf() {}

  /** VmHWM: the peak resident set size so far, in KiB. */
  static long peakRssKb() {
    return field("/proc/self/status", "VmHWM:");
  }

  /** write_bytes minus cancelled_write_bytes: what this process (all its threads) sent to storage. */
  static long storageWriteBytes() {
    return field("/proc/self/io", "write_bytes:") - field("/proc/self/io", "cancelled_write_bytes:");
  }

  private static long field(String file, String name) {
    try {
      for (String line : Files.readAllLines(Path.of(file))) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).replace("kB", "").strip());
        }
      }
      throw new IllegalStateException("no " + name + " in " + file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + " (Linux only)", e);
    }
  }
}
