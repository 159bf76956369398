package io.pgrunbooks.activities.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The layout of {@code openssl enc -aes-256-cbc -salt -pbkdf2 -iter N -k PASS}: {@code Salted__},
 * an 8-byte salt, then AES-256-CBC with PKCS#7 padding, key and IV being the 48 bytes of
 * PBKDF2-HMAC-SHA256(passphrase, salt, N). Nothing in the file records N or checks the key, so a
 * wrong passphrase or count shows only in the padding of the last block.
 */
public final class OpensslFormat {
  /** The iteration count of the seed runbook's {@code openssl enc} command. */
  public static final int DEFAULT_ITERATIONS = 100_000;

  static final byte[] MAGIC = "Salted__".getBytes(StandardCharsets.US_ASCII);
  static final int SALT_LENGTH = 8;
  static final int HEADER_LENGTH = MAGIC.length + SALT_LENGTH;
  static final int BLOCK = 16;

  /** Bytes handed to the cipher per call: large enough for the AES intrinsics, small enough to stream. */
  static final int CHUNK = 64 * 1024;

  private OpensslFormat() {}

  /** A cipher for one stream, keyed as openssl keys it. */
  static Cipher cipher(int mode, String passphrase, byte[] salt, int iterations) {
    byte[] keyAndIv = Pbkdf2.hmacSha256(passphrase, salt, iterations, 32 + BLOCK);
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(
          mode,
          new SecretKeySpec(keyAndIv, 0, 32, "AES"),
          new IvParameterSpec(keyAndIv, 32, BLOCK));
      return cipher;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-CBC is part of every JDK", e);
    } finally {
      Arrays.fill(keyAndIv, (byte) 0);
    }
  }
}
