package io.pgrunbooks.workflows.backupfailure;

import io.temporal.activity.ActivityInterface;

/**
 * Step 5 of the backup-failure runbook for the encryption class ("encryption failed", "invalid
 * key"): the keyring's check, and the two changes the workflow makes under approval. Every existing
 * backup must stay decryptable: backups record their key id, and restores and verifications pick
 * the key with that id among {@code backup.key-ref}, {@code backup.previous-key-refs} and the
 * archives of both ({@code <ref>.<key id>}: a sibling file, or a key of the same Kubernetes
 * Secret). A rotation here keeps the old passphrase in that archive, so it needs no configuration
 * change; a rotation by hand may instead list the old reference in {@code backup.previous-key-refs}.
 * No passphrase ever crosses this interface: only references and key ids.
 */
@ActivityInterface
public interface KeyRotationActivities {

  /**
   * Read-only: the current key reference resolves, its length, an encrypt/decrypt round trip in the
   * backups' format, its key id, every previous and archived key's id, and whether the latest
   * backup's key id is among them. Problems are findings, not failures; an unknown target or one
   * without backup configuration fails non-retryably.
   */
  BackupKeyCheck checkBackupKey(String target);

  /**
   * The create-backup-key step: a new random 256-bit passphrase (44 base64 characters) written at
   * the target's {@code backup.key-ref} ({@code file:} with owner-only permissions, or {@code k8s:}),
   * read back and its key id computed. Idempotent: when the reference resolves to a passphrase
   * already (an earlier attempt, or someone else), nothing is written. Something stored there that
   * does not resolve (an unreadable file) is never overwritten: non-retryable. An {@code env:}
   * reference cannot be written: non-retryable. Returns what was done, in words, with the key id.
   */
  String createBackupKey(String target);

  /**
   * The rotate-backup-key step: the passphrase at {@code backup.key-ref}, whose key id the workflow
   * read before the gate ({@code oldKeyId}), is written to its archive {@code <key-ref>.<oldKeyId>}
   * and read back; then a new random 256-bit passphrase replaces it at {@code backup.key-ref}.
   * Idempotent on a retry after a crash: when the reference already holds another key and the
   * archive holds {@code oldKeyId}, the rotation is done. When the reference holds another key but
   * no archive of {@code oldKeyId} exists, someone else changed it: non-retryable, nothing written.
   * Returns what was done, in words, with both key ids.
   */
  String rotateBackupKey(String target, String oldKeyId);
}
