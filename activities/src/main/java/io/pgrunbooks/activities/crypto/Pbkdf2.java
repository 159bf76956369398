package io.pgrunbooks.activities.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 over the passphrase's UTF-8 bytes, as {@code openssl enc -pbkdf2} computes
 * it. The JDK's implementation encodes the passphrase as UTF-8 and gives the same bytes as Bouncy
 * Castle's PKCS5S2ParametersGenerator, about twice as fast thanks to the SHA-256 intrinsics.
 */
final class Pbkdf2 {
  private Pbkdf2() {}

  static byte[] hmacSha256(String passphrase, byte[] salt, int iterations, int length) {
    if (iterations < 1) {
      throw new IllegalArgumentException("PBKDF2 iteration count must be at least 1, got " + iterations);
    }
    char[] chars = passphrase.toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, length * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }
}
