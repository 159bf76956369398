package io.pgrunbooks.workflows.backup;

import java.util.List;

/**
 * Result of {@link BackupDatabasesWorkflow}.
 *
 * @param target the target
 * @param label the run's label (part of every key)
 * @param format the format
 * @param keyId identifier of the passphrase used
 * @param metadataKey the run's metadata.json (lists only complete objects); null when it could not
 *     be written (see problem)
 * @param latestMoved whether {@code <prefix>/latest/metadata.json} now points at this run (only when
 *     every database succeeded and every object was verified present)
 * @param databases per database: what succeeded with size, checksum and duration, what failed and why
 * @param startedAt RFC 3339
 * @param finishedAt RFC 3339
 * @param problem what kept the run from recording itself (e.g. the store refused metadata.json),
 *     null when nothing did
 */
public record BackupRunResult(
    String target,
    String label,
    BackupFormat format,
    String keyId,
    String metadataKey,
    boolean latestMoved,
    List<DatabaseBackup> databases,
    String startedAt,
    String finishedAt,
    String problem) {

  public long succeeded() {
    return databases.stream().filter(DatabaseBackup::succeeded).count();
  }

  public long failed() {
    return databases.size() - succeeded();
  }
}
