package io.pgrunbooks.workflows.backup;

/**
 * What a running backup heartbeats, and so what its status shows.
 *
 * @param database the database
 * @param phase counting rows, dumping, completing upload
 * @param dumpedBytes bytes pg_dump has written so far
 * @param uploadedBytes bytes of the encrypted object uploaded so far
 */
public record BackupProgress(String database, String phase, long dumpedBytes, long uploadedBytes) {}
