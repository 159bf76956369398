package io.pgrunbooks.activities.backup;

import io.pgrunbooks.workflows.backup.BackupFormat;
import java.util.Map;

/**
 * What is known about one backup object, stored beside it as {@code <key>.manifest.json}: enough
 * to decrypt it (cipher, key id, not the key), check it (size, SHA-256) and prove a restore (row
 * counts of every table and the newest created_at of the target's restore.check-tables, taken in
 * the dump's own snapshot).
 */
record BackupManifest(
    String target,
    String database,
    String objectKey,
    BackupFormat format,
    Cipher cipher,
    String keyRef,
    String keyId,
    long sizeBytes,
    String sha256,
    long dumpBytes,
    String serverVersion,
    String pgDumpVersion,
    String snapshot,
    Map<String, Long> rowCounts,
    Map<String, String> newestCreatedAt,
    String startedAt,
    String finishedAt,
    int attempt) {

  /**
   * The encryption, as openssl names it.
   *
   * @param algorithm {@code aes-256-cbc}
   * @param kdf {@code pbkdf2-hmac-sha256}
   * @param iterations PBKDF2 iterations
   * @param salt where the salt is ({@code Salted__} header of the object)
   * @param command the openssl command that decrypts it
   */
  record Cipher(String algorithm, String kdf, int iterations, String salt, String command) {
    static Cipher openssl(int iterations) {
      return new Cipher(
          "aes-256-cbc",
          "pbkdf2-hmac-sha256",
          iterations,
          "8 random bytes after the 'Salted__' header",
          "openssl enc -d -aes-256-cbc -pbkdf2 -iter " + iterations + " -k \"$KEY\" -in OBJECT");
    }
  }
}
