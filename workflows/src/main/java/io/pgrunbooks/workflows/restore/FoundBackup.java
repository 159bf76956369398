package io.pgrunbooks.workflows.restore;

import java.util.Map;

/**
 * The backup a restore will use, with what its bytes say it is and what its manifest recorded.
 *
 * @param store the object store's name
 * @param objectKey the object
 * @param database the database it is a backup of
 * @param sizeBytes the object's size
 * @param lastModified RFC 3339
 * @param container how it is encrypted, from its first bytes (OPENSSL, OPENPGP_BINARY, ...)
 * @param payload the dump inside every layer: POSTGRES_CUSTOM_DUMP, TAR or SQL_TEXT
 * @param kind one line for a person, e.g. "openssl AES-256-CBC, pg_dump custom format"
 * @param keyRef the reference of the key that opened it (never the key)
 * @param manifestKey the manifest beside it, or null when none was written (gpg dumps)
 * @param sha256 the object's SHA-256 the manifest recorded, or null when unknown
 * @param dumpBytes the plaintext size the manifest recorded, or 0 when unknown
 * @param recordedRowCounts row counts per {@code schema.table} taken in the dump's snapshot (empty: none recorded)
 * @param recordedNewest newest {@code created_at} per {@code schema.table} at backup time (empty: none recorded)
 */
public record FoundBackup(
    String store,
    String objectKey,
    String database,
    long sizeBytes,
    String lastModified,
    String container,
    String payload,
    String kind,
    String keyRef,
    String manifestKey,
    String sha256,
    long dumpBytes,
    Map<String, Long> recordedRowCounts,
    Map<String, String> recordedNewest) {

  /** Whether pg_restore (not psql) reads it. */
  public boolean restoredByPgRestore() {
    return !"SQL_TEXT".equals(payload);
  }
}
