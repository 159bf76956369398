package io.pgrunbooks.activities.crypto;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPBEEncryptedData;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.PGPSessionKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.PBESecretKeyDecryptor;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;

/**
 * Reads OpenPGP messages as {@code gpg --encrypt} and {@code gpg --symmetric} write them (binary or
 * armored, compressed or not), streaming. A wrong key fails before any plaintext: the session key's
 * checksum (public key) or quick-check bytes (passphrase) reject it. Tampering is caught by the
 * integrity packet (MDC) or AEAD tag at the end; a message without either is refused outright, as
 * gpg itself refuses it, because its plaintext could have been altered without trace.
 */
final class OpenPgpDecryption {
  private OpenPgpDecryption() {}

  static DecryptedStream open(InputStream in, ContainerFormat format, KeyMaterial key) throws IOException {
    PGPEncryptedDataList list = encryptedDataList(in, format == ContainerFormat.OPENPGP_ARMORED);
    PGPEncryptedData first = list.get(0);
    if (!first.isIntegrityProtected() && !first.isAEAD()) {
      throw new CorruptInputException(
          "the OpenPGP message has no integrity protection (no MDC): tampering could not be detected,"
              + " so it is refused, as gpg refuses it");
    }
    Unlocked unlocked = unlock(list, key);
    InputStream literal = literalData(unlocked.clear());
    return new DecryptedStream(new VerifiedAtEnd(literal, unlocked), format, unlocked.keyId());
  }

  /** The encrypted data, its plaintext packets, and the id of the key that opened it. */
  private record Unlocked(PGPEncryptedData data, InputStream clear, Supplier<String> keyId) {}

  private static PGPEncryptedDataList encryptedDataList(InputStream in, boolean armored) throws IOException {
    Object next;
    try {
      BcPGPObjectFactory factory = new BcPGPObjectFactory(armored ? new ArmoredInputStream(in) : in);
      next = factory.nextObject();
      while (next instanceof PGPMarker) {
        next = factory.nextObject();
      }
    } catch (IOException | RuntimeException e) {
      if (!isMalformed(e)) {
        throw e; // the source failed (network, disk): retrying may help
      }
      throw new CorruptInputException("not a readable OpenPGP message: " + e.getMessage(), e);
    }
    if (next instanceof PGPEncryptedDataList list && !list.isEmpty()) {
      return list;
    }
    throw new CorruptInputException(
        "the OpenPGP data is not an encrypted message (found "
            + (next == null ? "nothing" : next.getClass().getSimpleName())
            + ")");
  }

  /** Bouncy Castle reports packets it cannot parse as plain IOException, EOFException or its own types. */
  private static boolean isMalformed(Exception e) {
    return e instanceof RuntimeException
        || e.getClass() == IOException.class
        || e instanceof EOFException
        || e.getClass().getName().startsWith("org.bouncycastle.");
  }

  private static Unlocked unlock(PGPEncryptedDataList list, KeyMaterial key) throws IOException {
    List<String> recipients = new ArrayList<>();
    boolean hasPassphrasePacket = false;
    PGPSecretKeyRingCollection secretKeys =
        key.secretKeyRing() == null ? null : secretKeys(key.secretKeyRing());
    for (PGPEncryptedData data : list) {
      if (data instanceof PGPPublicKeyEncryptedData publicKeyData) {
        recipients.add(KeyIds.ofOpenPgpKey(publicKeyData.getKeyID()));
        if (secretKeys != null) {
          for (PGPSecretKey secretKey : candidates(secretKeys, publicKeyData.getKeyID())) {
            PGPPrivateKey privateKey = privateKey(secretKey, key.secretKeyPassphrase());
            PGPSessionKey sessionKey;
            try {
              sessionKey = publicKeyData.getSessionKey(new BcPublicKeyDataDecryptorFactory(privateKey));
            } catch (PGPException | RuntimeException wrongKey) {
              continue; // a hidden recipient (key id 0) tries every key; the message below lists them
            }
            PGPSessionKeyEncryptedData encrypted = list.extractSessionKeyEncryptedData();
            boolean jdk = OpenPgpOperators.jdkDecrypts(encrypted, sessionKey.getAlgorithm());
            try {
              InputStream clear = encrypted.getDataStream(OpenPgpOperators.sessionKey(sessionKey, jdk));
              String keyId = KeyIds.ofOpenPgpKey(secretKey.getKeyID());
              return new Unlocked(encrypted, clear, () -> keyId);
            } catch (PGPException e) {
              throw new CorruptInputException("cannot decrypt the OpenPGP message: " + e.getMessage(), e);
            }
          }
        }
      } else if (data instanceof PGPPBEEncryptedData passphraseData) {
        hasPassphrasePacket = true;
        if (key.passphrase() != null) {
          InputStream clear = passphraseData(passphraseData, key.passphrase());
          if (clear != null) {
            String passphrase = key.passphrase();
            return new Unlocked(passphraseData, clear, () -> KeyIds.ofPassphrase(passphrase));
          }
        }
      }
    }
    throw new WrongKeyException(noKeyOpens(recipients, hasPassphrasePacket, key, secretKeys));
  }

  /**
   * The plaintext packets, or null for a wrong passphrase (the quick check failed, or a garbled
   * session key named no cipher). The JDK is tried first for speed; Bouncy Castle then has the last
   * word, since the session key's cipher is only known once it is decrypted.
   */
  private static InputStream passphraseData(PGPPBEEncryptedData data, String passphrase) {
    char[] chars = passphrase.toCharArray();
    boolean jdkFirst = OpenPgpOperators.jdkDecrypts(data, data.getAlgorithm());
    for (boolean jdk : jdkFirst ? new boolean[] {true, false} : new boolean[] {false}) {
      try {
        return data.getDataStream(OpenPgpOperators.passphrase(chars, jdk));
      } catch (PGPException | RuntimeException wrongPassphraseOrCipher) {
        // next implementation, or wrong passphrase
      }
    }
    return null;
  }

  private static String noKeyOpens(
      List<String> recipients, boolean hasPassphrasePacket, KeyMaterial key, PGPSecretKeyRingCollection secretKeys) {
    List<String> reasons = new ArrayList<>();
    if (!recipients.isEmpty()) {
      reasons.add(
          "it is encrypted for OpenPGP key "
              + String.join(", ", recipients)
              + (secretKeys == null ? " and no secret key was given" : " but the secret key file holds " + heldKeys(secretKeys)));
    }
    if (hasPassphrasePacket) {
      reasons.add(key.passphrase() == null ? "it is encrypted with a passphrase and none was given" : "wrong passphrase");
    }
    return "no key given opens this OpenPGP message: " + String.join("; ", reasons);
  }

  private static String heldKeys(PGPSecretKeyRingCollection secretKeys) {
    List<String> ids = new ArrayList<>();
    for (PGPSecretKeyRing ring : secretKeys) {
      for (PGPSecretKey secretKey : ring) {
        ids.add(KeyIds.ofOpenPgpKey(secretKey.getKeyID()));
      }
    }
    return ids.isEmpty() ? "no keys" : String.join(", ", ids);
  }

  static PGPSecretKeyRingCollection secretKeys(byte[] keyRing) throws IOException {
    try {
      PGPSecretKeyRingCollection keys =
          new PGPSecretKeyRingCollection(
              PGPUtil.getDecoderStream(new ByteArrayInputStream(keyRing)), new BcKeyFingerprintCalculator());
      if (keys.size() == 0) {
        throw new WrongKeyException("the secret key file holds no secret key (is it a public key export?)");
      }
      return keys;
    } catch (PGPException | IOException | RuntimeException e) {
      if (e instanceof WrongKeyException wrong) {
        throw wrong;
      }
      throw new WrongKeyException(
          "the secret key file is not an OpenPGP secret key ring (gpg --export-secret-keys writes one): " + e.getMessage(),
          e);
    }
  }

  /** The secret key for a recipient id; for a hidden recipient (id 0), every key that may decrypt. */
  private static List<PGPSecretKey> candidates(PGPSecretKeyRingCollection secretKeys, long keyId) {
    List<PGPSecretKey> found = new ArrayList<>();
    if (keyId != 0) {
      PGPSecretKey secretKey = secretKeys.getSecretKey(keyId);
      if (secretKey != null && !secretKey.isPrivateKeyEmpty()) {
        found.add(secretKey);
      }
      return found;
    }
    for (PGPSecretKeyRing ring : secretKeys) {
      for (PGPSecretKey secretKey : ring) {
        if (!secretKey.isPrivateKeyEmpty() && secretKey.getPublicKey().isEncryptionKey()) {
          found.add(secretKey);
        }
      }
    }
    return found;
  }

  private static PGPPrivateKey privateKey(PGPSecretKey secretKey, String passphrase) throws WrongKeyException {
    String id = KeyIds.ofOpenPgpKey(secretKey.getKeyID());
    boolean isProtected = secretKey.getKeyEncryptionAlgorithm() != SymmetricKeyAlgorithmTags.NULL;
    if (isProtected && passphrase == null) {
      throw new WrongKeyException("secret key " + id + " is protected by a passphrase and none was given");
    }
    try {
      PBESecretKeyDecryptor decryptor =
          isProtected
              ? new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(passphrase.toCharArray())
              : null;
      return secretKey.extractPrivateKey(decryptor);
    } catch (PGPException e) {
      throw new WrongKeyException("wrong passphrase for secret key " + id + ": " + e.getMessage(), e);
    }
  }

  /** Unwraps compression and skips signature packets down to the literal data. */
  private static InputStream literalData(InputStream clear) throws IOException {
    BcPGPObjectFactory factory = new BcPGPObjectFactory(clear);
    while (true) {
      Object next = factory.nextObject();
      if (next instanceof PGPLiteralData literal) {
        return literal.getInputStream();
      } else if (next instanceof PGPCompressedData compressed) {
        try {
          factory = new BcPGPObjectFactory(compressed.getDataStream());
        } catch (PGPException e) {
          throw new CorruptInputException("cannot decompress the OpenPGP message: " + e.getMessage(), e);
        }
      } else if (next == null) {
        throw new CorruptInputException("the OpenPGP message holds no literal data");
      } else if (!(next instanceof PGPOnePassSignatureList || next instanceof PGPSignatureList || next instanceof PGPMarker)) {
        throw new CorruptInputException(
            "unexpected " + next.getClass().getSimpleName() + " inside the encrypted OpenPGP message");
      }
    }
  }

  /** Passes the literal data through; at its end, checks the MDC or drains the AEAD chunks (whose tags check themselves). */
  private static final class VerifiedAtEnd extends FilterInputStream {
    private final Unlocked unlocked;
    private boolean verified;

    VerifiedAtEnd(InputStream literal, Unlocked unlocked) {
      super(literal);
      this.unlocked = unlocked;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        verify();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n < 0) {
        verify();
      }
      return n;
    }

    private void verify() throws IOException {
      if (verified) {
        return;
      }
      PGPEncryptedData data = unlocked.data();
      try {
        if (data.isAEAD()) {
          unlocked.clear().transferTo(OutputStream.nullOutputStream());
        } else if (!data.verify()) {
          throw new CorruptInputException(
              "the OpenPGP integrity check (MDC) failed: the file was modified or damaged after encryption");
        }
      } catch (PGPException e) {
        throw new CorruptInputException("the OpenPGP integrity check (MDC) failed: " + e.getMessage(), e);
      }
      verified = true;
    }
  }
}
