package io.pgrunbooks.workflows.backupfailure;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Input of {@link RespondToBackupFailureWorkflow}.
 *
 * @param target a configured target
 * @param escalateAfterMinutes escalate when no backup is verified this long after the run started
 *     (null: 120, the seed's 2 hours; must be positive)
 * @param dryRun only check and plan: no gate is opened, nothing is changed, no backup is made
 * @param requestedBy who asked (e.g. alertmanager, a person)
 * @param expandVolumeTo storage issues on kubernetes: the size to grow the data directory's claim to
 *     behind the expand-volume gate, a Kubernetes quantity such as {@code 200Gi} larger than the claim's
 *     current request; only where its storage class allows expansion (null: the volume is not grown,
 *     the run only says whether it could be)
 * @param rotateKey rotate the backup encryption key even though it works (the seed's "Rotate
 *     encryption key if needed"), under the rotate-backup-key gate: the old passphrase is kept as
 *     {@code <key-ref>.<key id>} so every existing backup stays decryptable (null: false)
 */
public record BackupFailureRequest(
    String target, Integer escalateAfterMinutes, boolean dryRun, String requestedBy, String expandVolumeTo, Boolean rotateKey) {
  /** The seed's "If backup continues to fail after 2 hours". */
  public static final int DEFAULT_ESCALATE_AFTER_MINUTES = 120;

  /** A Kubernetes quantity as a storage size: a number and an optional binary or decimal suffix (200Gi, 1.5Ti, 500G). */
  private static final Pattern STORAGE_QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");

  /** A request that grows the volume to {@code expandVolumeTo} where it may, without a key rotation. */
  public BackupFailureRequest(String target, Integer escalateAfterMinutes, boolean dryRun, String requestedBy, String expandVolumeTo) {
    this(target, escalateAfterMinutes, dryRun, requestedBy, expandVolumeTo, null);
  }

  /** A request that rotates the key when {@code rotateKey}, without a volume size. */
  public BackupFailureRequest(String target, Integer escalateAfterMinutes, boolean dryRun, String requestedBy, Boolean rotateKey) {
    this(target, escalateAfterMinutes, dryRun, requestedBy, null, rotateKey);
  }

  /** A request without a volume size (the volume is not grown) and without a key rotation. */
  public BackupFailureRequest(String target, Integer escalateAfterMinutes, boolean dryRun, String requestedBy) {
    this(target, escalateAfterMinutes, dryRun, requestedBy, null, null);
  }

  /** Whether {@code size} is a Kubernetes quantity of the form expandVolumeTo takes (REST validation says the same). */
  public static boolean isStorageQuantity(String size) {
    return size != null && STORAGE_QUANTITY.matcher(size).matches();
  }

  public Duration escalateAfter() {
    return Duration.ofMinutes(escalateAfterMinutes == null ? DEFAULT_ESCALATE_AFTER_MINUTES : escalateAfterMinutes);
  }

  /** Whether the key is to be rotated ({@code rotateKey}, null: false). */
  public boolean rotatesKey() {
    return Boolean.TRUE.equals(rotateKey);
  }
}
