package io.pgrunbooks.workflows.backupfailure;

import io.pgrunbooks.workflows.disk.Bytes;

/**
 * A dump file as the clean-old-dumps gate lists it.
 *
 * @param directory the directory it is directly in (the data directory or the local dump directory)
 * @param name its name (no directory part)
 * @param bytes its size when listed
 * @param modifiedAt RFC 3339, whole seconds: its last modification when listed
 */
public record DumpFile(String directory, String name, long bytes, String modifiedAt) {
  public String path() {
    return directory + "/" + name;
  }

  public String describe() {
    return path() + " (" + Bytes.human(bytes) + ", modified " + modifiedAt + ")";
  }
}
