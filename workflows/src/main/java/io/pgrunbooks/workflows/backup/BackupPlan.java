package io.pgrunbooks.workflows.backup;

import java.util.List;

/**
 * A backup run with every default resolved and every name checked, before anything is dumped.
 *
 * @param target the target
 * @param store the object store's name in configuration
 * @param bucket the bucket
 * @param prefix key prefix, e.g. {@code postgres-backups}
 * @param databases the databases, in order
 * @param format the format
 * @param parallelism databases dumped at once
 * @param keyRef reference to the passphrase
 * @param keyId identifier of the passphrase (not the passphrase), recorded so that old backups stay
 *     decryptable after a key rotation
 * @param iterations PBKDF2 iterations of the openssl format
 * @param label run label, {@code yyyyMMdd_HHmmss} in UTC, part of every object key
 */
public record BackupPlan(
    String target,
    String store,
    String bucket,
    String prefix,
    List<String> databases,
    BackupFormat format,
    int parallelism,
    String keyRef,
    String keyId,
    int iterations,
    String label) {

  /** The seed's key: {@code <prefix>/manual/manual-backup-<label>-<db>.sql.enc}. */
  public String objectKey(String database) {
    return prefix + "/manual/manual-backup-" + label + "-" + database + ".sql.enc";
  }

  /** Where the run's metadata.json goes. */
  public String metadataKey() {
    return prefix + "/manual/manual-backup-" + label + "-metadata.json";
  }
}
