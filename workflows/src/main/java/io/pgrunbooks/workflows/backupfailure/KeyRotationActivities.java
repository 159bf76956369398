package io.pgrunbooks.workflows.backupfailure;

import io.temporal.activity.ActivityInterface;

/**
 * Step 5 of the backup-failure runbook for the encryption class ("encryption failed", "invalid
 * key"). A key rotation is configuration, not an action this service takes: a new secret for
 * {@code backup.key-ref} and the old reference listed in {@code backup.previous-key-refs}, so that
 * every existing backup stays decryptable (backups record their key id; restores and verifications
 * pick the configured key with that id). The check says what a person must change and, run again
 * afterwards, verifies the change.
 */
@ActivityInterface
public interface KeyRotationActivities {

  /**
   * Read-only: the current key reference resolves, its length, an encrypt/decrypt round trip in the
   * backups' format, its key id, every previous key's id, and whether the latest backup's key id is
   * among them. Problems are findings, not failures; an unknown target or one without backup
   * configuration fails non-retryably.
   */
  BackupKeyCheck checkBackupKey(String target);
}
