package io.pgrunbooks.workflows.disk;

/**
 * Something with a size: an entry of the data directory ({@code du}) or a database.
 *
 * @param name the entry's name (base, pg_wal, log, ...) or the database's
 * @param bytes its size
 */
public record SizedEntry(String name, long bytes) {
  public String describe() {
    return name + " " + Bytes.human(bytes);
  }
}
