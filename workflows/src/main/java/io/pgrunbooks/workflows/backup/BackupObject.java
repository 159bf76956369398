package io.pgrunbooks.workflows.backup;

/**
 * One object of a backup run, as its metadata.json lists it.
 *
 * @param database the database it holds
 * @param objectKey the encrypted object
 * @param manifestKey its manifest (row counts, versions, cipher)
 * @param sizeBytes recorded size
 * @param sha256 recorded SHA-256 of the encrypted object
 */
public record BackupObject(String database, String objectKey, String manifestKey, long sizeBytes, String sha256) {}
