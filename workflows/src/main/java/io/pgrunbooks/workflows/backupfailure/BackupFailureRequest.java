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
 */
public record BackupFailureRequest(
    String target, Integer escalateAfterMinutes, boolean dryRun, String requestedBy, String expandVolumeTo) {
  /** The seed's "If backup continues to fail after 2 hours". */
  public static final int DEFAULT_ESCALATE_AFTER_MINUTES = 120;

  /** A Kubernetes quantity as a storage size: a number and an optional binary or decimal suffix (200Gi, 1.5Ti, 500G). */
  private static final Pattern STORAGE_QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");

  /** A request without a volume size (the volume is not grown). */
  public BackupFailureRequest(String target, Integer escalateAfterMinutes, boolean dryRun, String requestedBy) {
    this(target, escalateAfterMinutes, dryRun, requestedBy, null);
  }

  /** Whether {@code size} is a Kubernetes quantity of the form expandVolumeTo takes (REST validation says the same). */
  public static boolean isStorageQuantity(String size) {
    return size != null && STORAGE_QUANTITY.matcher(size).matches();
  }

  public Duration escalateAfter() {
    return Duration.ofMinutes(escalateAfterMinutes == null ? DEFAULT_ESCALATE_AFTER_MINUTES : escalateAfterMinutes);
  }
}
