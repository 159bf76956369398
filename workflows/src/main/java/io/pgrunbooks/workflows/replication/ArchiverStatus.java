package io.pgrunbooks.workflows.replication;

/**
 * WAL archiving on the primary (pg_stat_archiver, the seed's last query, with the failures).
 *
 * @param archiveMode archive_mode (off: nothing to check)
 * @param archivedCount segments archived
 * @param lastArchivedWal the last one archived
 * @param lastArchivedTime when, RFC 3339
 * @param failedCount failed attempts
 * @param lastFailedWal the last one that failed
 * @param lastFailedTime when, RFC 3339
 * @param stuck archiving fails now: the last failure is newer than the last success
 */
public record ArchiverStatus(
    String archiveMode,
    long archivedCount,
    String lastArchivedWal,
    String lastArchivedTime,
    long failedCount,
    String lastFailedWal,
    String lastFailedTime,
    boolean stuck) {

  public String describe() {
    if ("off".equals(archiveMode)) {
      return "WAL archiving is off";
    }
    return (stuck ? "WAL archiving is STUCK: " + lastFailedWal + " failed at " + lastFailedTime + "; " : "WAL archiving works: ")
        + archivedCount + " archived (last " + lastArchivedWal + " at " + lastArchivedTime + "), " + failedCount + " failed";
  }
}
