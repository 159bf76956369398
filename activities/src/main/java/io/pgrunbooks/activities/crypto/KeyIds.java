package io.pgrunbooks.activities.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;

/**
 * Names the key of a backup in its metadata without revealing it, so that a person can tell which
 * passphrase or key opens which backup. A passphrase's id is the first 8 bytes of
 * PBKDF2-HMAC-SHA256 with a fixed salt and the seed's iteration count: guessing a passphrase from
 * its id costs as much as guessing it from the backup itself. An OpenPGP key's id is its own.
 */
public final class KeyIds {
  private static final byte[] SALT = "pg-runbooks key id".getBytes(StandardCharsets.UTF_8);
  private static final int ITERATIONS = 100_000;
  private static final int LENGTH = 8;

  private KeyIds() {}

  /** 16 lowercase hex digits, the same for the same passphrase on every machine and version. */
  public static String ofPassphrase(String passphrase) {
    return HexFormat.of().formatHex(Pbkdf2.hmacSha256(passphrase, SALT, ITERATIONS, LENGTH));
  }

  /** The long key id as gpg prints it: 16 uppercase hex digits. */
  public static String ofOpenPgpKey(long keyId) {
    return HexFormat.of().formatHex(longBytes(keyId)).toUpperCase(Locale.ROOT);
  }

  /** The ids of the keys in a secret key ring that can decrypt, as {@code gpg -k} lists them. */
  public static List<String> ofSecretKeyRing(byte[] secretKeyRing) throws IOException {
    List<String> ids = new ArrayList<>();
    for (PGPSecretKeyRing ring : OpenPgpDecryption.secretKeys(secretKeyRing)) {
      for (PGPSecretKey key : ring) {
        if (!key.isPrivateKeyEmpty() && key.getPublicKey().isEncryptionKey()) {
          ids.add(ofOpenPgpKey(key.getKeyID()));
        }
      }
    }
    return ids;
  }

  private static byte[] longBytes(long value) {
    byte[] bytes = new byte[Long.BYTES];
    for (int i = Long.BYTES - 1; i >= 0; i--) {
      bytes[i] = (byte) value;
      value >>>= 8;
    }
    return bytes;
  }
}
