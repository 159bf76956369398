package io.pgrunbooks.workflows.disk;

/**
 * A server log file, as the gate lists it.
 *
 * @param name the file's name in the log directory (no directory part)
 * @param bytes its size
 * @param modifiedAt RFC 3339: its last modification
 */
public record LogFile(String name, long bytes, String modifiedAt) {
  public String describe() {
    return name + " (" + Bytes.human(bytes) + ", modified " + modifiedAt + ")";
  }
}
