package io.pgrunbooks.activities.crypto;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The one door to encrypted backups. Writing: the seed's openssl format, optionally behind the
 * fast format's zstd layer. Reading: whatever the bytes say (openssl, base64 openssl, OpenPGP
 * binary or armored), opened with the key material given, and by default refused early unless
 * the plaintext starts like a backup, since openssl has no key check of its own before the last block.
 */
public final class EncryptedBackups {
  private EncryptedBackups() {}

  /** Encrypts as {@code openssl enc -aes-256-cbc -salt -pbkdf2 -iter N}; closing finishes the file. */
  public static OutputStream encrypt(OutputStream out, String passphrase, int iterations) throws IOException {
    return new OpensslEncryptingOutputStream(out, passphrase, iterations);
  }

  /** The fast format: zstd (level 5, multi-threaded), then {@link #encrypt}. Feed it {@code pg_dump -Z0}. */
  public static OutputStream encryptFast(OutputStream out, String passphrase, int iterations) throws IOException {
    return ZstdStreams.compress(encrypt(out, passphrase, iterations));
  }

  /**
   * Opens an encrypted backup, detecting its format, and checks that the plaintext starts like a
   * backup ({@link PayloadFormat#isKnown()}); it does not undo the zstd layer (see {@link
   * ZstdStreams#decompress}).
   *
   * @throws WrongKeyException when the key material does not open it
   * @throws CorruptInputException when it is damaged, not encrypted, or not a backup
   */
  public static DecryptedStream open(InputStream encrypted, KeyMaterial key) throws IOException {
    DecryptedStream decrypted = openAnyPayload(encrypted, key);
    try {
      PayloadFormat payload = decrypted.payload();
      if (!payload.isKnown()) {
        throw decrypted.container() == ContainerFormat.OPENSSL || decrypted.container() == ContainerFormat.OPENSSL_BASE64
            ? new WrongKeyException(
                "wrong passphrase or PBKDF2 iteration count: the decrypted bytes are not a PostgreSQL dump,"
                    + " zstd, gzip, tar or text (tried "
                    + key.iterations()
                    + " iterations)")
            : new CorruptInputException(
                "the decrypted OpenPGP message is not a PostgreSQL dump, zstd, gzip, tar or text");
      }
      return decrypted;
    } catch (IOException | RuntimeException e) {
      decrypted.close();
      throw e;
    }
  }

  /** Like {@link #open} for payloads of any kind; only the container's own checks apply. */
  public static DecryptedStream openAnyPayload(InputStream encrypted, KeyMaterial key) throws IOException {
    BufferedInputStream in = new BufferedInputStream(encrypted, OpensslFormat.CHUNK);
    in.mark(ContainerFormat.HEAD_LENGTH);
    byte[] head = in.readNBytes(ContainerFormat.HEAD_LENGTH);
    in.reset();
    ContainerFormat format = ContainerFormat.detect(head);
    return switch (format) {
      case OPENSSL -> openssl(in, format, key);
      case OPENSSL_BASE64 -> openssl(Base64.getMimeDecoder().wrap(in), format, key);
      case OPENPGP_BINARY, OPENPGP_ARMORED -> OpenPgpDecryption.open(in, format, key);
      case UNKNOWN -> throw new CorruptInputException(notEncrypted(head));
    };
  }

  private static DecryptedStream openssl(InputStream in, ContainerFormat format, KeyMaterial key) throws IOException {
    String passphrase = key.passphrase();
    if (passphrase == null) {
      throw new WrongKeyException("the input is openssl enc output, which needs a passphrase; none was given");
    }
    return new DecryptedStream(
        new OpensslDecryptingInputStream(in, passphrase, key.iterations()),
        format,
        () -> KeyIds.ofPassphrase(passphrase));
  }

  private static String notEncrypted(byte[] head) {
    PayloadFormat payload = PayloadFormat.detect(head);
    if (payload == PayloadFormat.EMPTY) {
      return "the input is empty";
    }
    if (payload.isKnown()) {
      return "the input is not encrypted: it looks like " + payload + " already";
    }
    return "not an encrypted backup: expected openssl enc output (Salted__), an OpenPGP message or OpenPGP"
        + " armor, found bytes "
        + HexFormat.ofDelimiter(" ").formatHex(head, 0, Math.min(head.length, 16));
  }
}
