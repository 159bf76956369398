package io.pgrunbooks.workflows.backupfailure;

import java.time.Duration;

/**
 * Input of {@link RespondToBackupFailureWorkflow}.
 *
 * @param target a configured target
 * @param escalateAfterMinutes escalate when no backup is verified this long after the run started
 *     (null: 120, the seed's 2 hours; must be positive)
 * @param dryRun only check and plan: no gate is opened, nothing is changed, no backup is made
 * @param requestedBy who asked (e.g. alertmanager, a person)
 * @param rotateKey rotate the backup encryption key even though it works (the seed's "Rotate
 *     encryption key if needed"), under the rotate-backup-key gate: the old passphrase is kept as
 *     {@code <key-ref>.<key id>} so every existing backup stays decryptable (null: false)
 */
public record BackupFailureRequest(
    String target, Integer escalateAfterMinutes, boolean dryRun, String requestedBy, Boolean rotateKey) {
  /** The seed's "If backup continues to fail after 2 hours". */
  public static final int DEFAULT_ESCALATE_AFTER_MINUTES = 120;

  /** A request without a key rotation. */
  public BackupFailureRequest(String target, Integer escalateAfterMinutes, boolean dryRun, String requestedBy) {
    this(target, escalateAfterMinutes, dryRun, requestedBy, null);
  }

  public Duration escalateAfter() {
    return Duration.ofMinutes(escalateAfterMinutes == null ? DEFAULT_ESCALATE_AFTER_MINUTES : escalateAfterMinutes);
  }

  /** Whether the key is to be rotated ({@code rotateKey}, null: false). */
  public boolean rotatesKey() {
    return Boolean.TRUE.equals(rotateKey);
  }
}
