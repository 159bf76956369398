package io.pgrunbooks.activities.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What a decrypted backup holds, told from its first bytes. Every backup this project writes or
 * restores is one of the known kinds, so an unknown payload after decryption almost surely means a
 * wrong key: random bytes pass the shortest check (gzip) about once in 16 million.
 */
public enum PayloadFormat {
  /** {@code pg_dump --format=custom}: starts {@code PGDMP}. */
  POSTGRES_CUSTOM_DUMP,
  /** A zstd frame ({@code 28 B5 2F FD}): the fast format, {@code pg_dump -Z0 | zstd}. */
  ZSTD,
  /** gzip with deflate ({@code 1F 8B 08}): {@code pg_dump | gzip}, or a plain dump with {@code -Z}. */
  GZIP,
  /** A tar archive ({@code ustar} at offset 257): {@code pg_dump --format=tar}. */
  TAR,
  /** UTF-8 text without control characters: a plain-format dump or {@code pg_dumpall} script. */
  SQL_TEXT,
  /** No bytes at all. */
  EMPTY,
  /** None of the above. */
  UNKNOWN;

  /** Bytes {@link #detect} looks at, at most; fewer when the payload is shorter. */
  public static final int HEAD_LENGTH = 4096;

  private static final byte[] PGDMP = "PGDMP".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
  private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b, 0x08};
  private static final byte[] USTAR = "ustar".getBytes(StandardCharsets.US_ASCII);
  private static final int USTAR_OFFSET = 257;

  /** Whether this is something a backup holds; false only for {@link #UNKNOWN}. */
  public boolean isKnown() {
    return this != UNKNOWN;
  }

  /** The kind of payload, from up to {@link #HEAD_LENGTH} of its first bytes (or all, if shorter). */
  public static PayloadFormat detect(byte[] head) {
    if (head.length == 0) {
      return EMPTY;
    }
    if (ContainerFormat.startsWith(head, 0, PGDMP)) {
      return POSTGRES_CUSTOM_DUMP;
    }
    if (ContainerFormat.startsWith(head, 0, ZSTD_MAGIC)) {
      return ZSTD;
    }
    if (ContainerFormat.startsWith(head, 0, GZIP_MAGIC)) {
      return GZIP;
    }
    if (ContainerFormat.startsWith(head, USTAR_OFFSET, USTAR)) {
      return TAR;
    }
    return isText(head) ? SQL_TEXT : UNKNOWN;
  }

  private static boolean isText(byte[] head) {
    for (byte b : head) {
      if ((b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') || b == 0x7f) {
        return false;
      }
    }
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(head);
    CoderResult result = utf8.decode(in, CharBuffer.allocate(head.length), false);
    // Underflow with a few bytes left is a character cut by the end of the head, not an error.
    return !result.isError() && in.remaining() < 4;
  }
}
