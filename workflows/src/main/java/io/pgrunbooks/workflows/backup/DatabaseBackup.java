package io.pgrunbooks.workflows.backup;

/**
 * One database's backup, as the run's result and metadata.json describe it. Big details (per-table
 * row counts, versions) are in the object's manifest in the store, not in workflow history.
 *
 * @param database the database
 * @param status succeeded or failed
 * @param objectKey the object's key (also on failure: where it would have been)
 * @param manifestKey the manifest beside it ({@code <objectKey>.manifest.json}), null on failure
 * @param sizeBytes size of the encrypted object
 * @param sha256 hex SHA-256 of the encrypted object
 * @param dumpBytes bytes pg_dump produced, before zstd and encryption
 * @param tables user tables whose row counts the manifest records
 * @param rows rows in them, counted in the dump's snapshot
 * @param durationMillis wall time of the successful attempt
 * @param attempts attempts it took (more than 1 after a worker crash or a transient error)
 * @param errorType failure type (e.g. {@code SqlError}, {@code StorageAccessDenied}), null on success
 * @param error what went wrong, in words a person can act on, null on success
 */
public record DatabaseBackup(
    String database,
    BackupStatus status,
    String objectKey,
    String manifestKey,
    long sizeBytes,
    String sha256,
    long dumpBytes,
    int tables,
    long rows,
    long durationMillis,
    int attempts,
    String errorType,
    String error) {

  public static DatabaseBackup failed(
      String database, String objectKey, int attempts, String errorType, String error) {
    return new DatabaseBackup(
        database, BackupStatus.FAILED, objectKey, null, 0, null, 0, 0, 0, 0, attempts, errorType, error);
  }

  public boolean succeeded() {
    return status == BackupStatus.SUCCEEDED;
  }
}
