package io.pgrunbooks.activities.crypto;

/**
 * What may open a backup: a passphrase (openssl, or {@code gpg --symmetric}) with the PBKDF2
 * iteration count openssl used, and/or an OpenPGP secret key ring (binary or armored, as {@code gpg
 * --export-secret-keys} writes it) with the passphrase that protects it, if any. The format of the
 * backup decides which part is used. {@link #toString()} never shows a secret.
 *
 * @param passphrase the backup's passphrase, or null
 * @param iterations the PBKDF2 iteration count for openssl files
 * @param secretKeyRing an OpenPGP secret key ring, or null
 * @param secretKeyPassphrase the passphrase protecting the secret keys, or null when they are not protected
 */
public record KeyMaterial(String passphrase, int iterations, byte[] secretKeyRing, String secretKeyPassphrase) {
  public KeyMaterial {
    if (iterations < 1) {
      throw new IllegalArgumentException("PBKDF2 iteration count must be at least 1, got " + iterations);
    }
  }

  /** A passphrase with the seed's iteration count. */
  public static KeyMaterial passphrase(String passphrase) {
    return new KeyMaterial(passphrase, OpensslFormat.DEFAULT_ITERATIONS, null, null);
  }

  public static KeyMaterial passphrase(String passphrase, int iterations) {
    return new KeyMaterial(passphrase, iterations, null, null);
  }

  public static KeyMaterial secretKeyRing(byte[] secretKeyRing, String secretKeyPassphrase) {
    return new KeyMaterial(null, OpensslFormat.DEFAULT_ITERATIONS, secretKeyRing, secretKeyPassphrase);
  }

  @Override
  public String toString() {
    return "KeyMaterial[passphrase="
        + (passphrase == null ? "none" : "***")
        + ", iterations="
        + iterations
        + ", secretKeyRing="
        + (secretKeyRing == null ? "none" : secretKeyRing.length + " bytes")
        + ", secretKeyPassphrase="
        + (secretKeyPassphrase == null ? "none" : "***")
        + "]";
  }
}
