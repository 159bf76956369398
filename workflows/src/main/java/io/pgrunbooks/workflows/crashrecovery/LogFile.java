package io.pgrunbooks.workflows.crashrecovery;

/**
 * A server log file, as the gate lists it.
 *
 * @param name the file's name in the log directory (never a path)
 * @param bytes its size
 * @param modified RFC 3339, UTC: its last modification
 */
public record LogFile(String name, long bytes, String modified) {

  public String describe() {
    return name + " (" + bytes + " bytes, " + modified + ")";
  }
}
