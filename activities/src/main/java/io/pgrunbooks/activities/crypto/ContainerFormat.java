package io.pgrunbooks.activities.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** How an encrypted backup is wrapped, told from its first bytes (names and suffixes lie). */
public enum ContainerFormat {
  /** {@code openssl enc -salt}: {@code Salted__} and an 8-byte salt, then AES-256-CBC. */
  OPENSSL,
  /** The same, base64-encoded ({@code openssl enc -a}): starts {@code U2FsdGVkX1}. */
  OPENSSL_BASE64,
  /** A binary OpenPGP message ({@code gpg --encrypt} or {@code --symmetric}). */
  OPENPGP_BINARY,
  /** An ASCII-armored OpenPGP message ({@code gpg --armor}): {@code -----BEGIN PGP MESSAGE-----}. */
  OPENPGP_ARMORED,
  /** None of the above. */
  UNKNOWN;

  /** Bytes {@link #detect} needs to see, at most. */
  public static final int HEAD_LENGTH = 64;

  private static final byte[] OPENSSL_BASE64_MAGIC = "U2FsdGVkX1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ARMOR = "-----BEGIN PGP MESSAGE-----".getBytes(StandardCharsets.US_ASCII);

  /** Packet tags an encrypted OpenPGP message starts with: session keys, or a marker before them. */
  private static final int PUBLIC_KEY_SESSION_KEY = 1;
  private static final int SYMMETRIC_SESSION_KEY = 3;
  private static final int MARKER = 10;

  public static ContainerFormat detect(byte[] head) {
    if (startsWith(head, 0, OpensslFormat.MAGIC)) {
      return OPENSSL;
    }
    if (startsWith(head, 0, OPENSSL_BASE64_MAGIC)) {
      return OPENSSL_BASE64;
    }
    if (startsWith(head, firstNonBlank(head), ARMOR)) {
      return OPENPGP_ARMORED;
    }
    if (head.length > 0 && isEncryptedMessagePacket(head)) {
      return OPENPGP_BINARY;
    }
    return UNKNOWN;
  }

  /**
   * The first packet of an encrypted message: a session key (public-key version 3 or 6,
   * passphrase version 4 to 6) or a marker ("PGP"). Checking the version byte behind the header,
   * not only the tag, keeps random bytes from passing for OpenPGP one time in 17.
   */
  private static boolean isEncryptedMessagePacket(byte[] head) {
    int first = head[0] & 0xff;
    if ((first & 0x80) == 0) {
      return false; // every OpenPGP packet header has the top bit set
    }
    int tag;
    int body;
    if ((first & 0x40) != 0) { // new format: tag in 6 bits, then a 1, 2 or 5 byte length
      tag = first & 0x3f;
      int length = head.length > 1 ? head[1] & 0xff : -1;
      body = length < 0 ? -1 : length < 192 ? 2 : length < 224 ? 3 : length == 255 ? 6 : -1;
    } else { // old format: tag in 4 bits, length type in 2 bits (1, 2 or 4 bytes, or indeterminate)
      tag = (first >> 2) & 0x0f;
      body = switch (first & 0x03) {
        case 0 -> 2;
        case 1 -> 3;
        case 2 -> 5;
        default -> 1;
      };
    }
    if (body < 0 || head.length <= body) {
      return false;
    }
    int version = head[body] & 0xff;
    return switch (tag) {
      case PUBLIC_KEY_SESSION_KEY -> version == 3 || version == 6;
      case SYMMETRIC_SESSION_KEY -> version >= 4 && version <= 6;
      case MARKER -> startsWith(head, body, new byte[] {'P', 'G', 'P'});
      default -> false;
    };
  }

  /** Armor may follow a byte order mark or blank lines. */
  private static int firstNonBlank(byte[] head) {
    int i = startsWith(head, 0, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}) ? 3 : 0;
    while (i < head.length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
      i++;
    }
    return i;
  }

  static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
    return bytes.length - offset >= prefix.length
        && Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
  }
}
