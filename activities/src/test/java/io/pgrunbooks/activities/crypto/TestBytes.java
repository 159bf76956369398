package io.pgrunbooks.activities.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Reproducible test inputs. */
public final class TestBytes {
  /** Enough to cross many 64 KiB chunks and gpg's partial-length packets. */
  public static final int MULTI_MEGABYTE = 5 * 1024 * 1024 + 123;

  private TestBytes() {}

  public static byte[] random(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Starts like a pg_dump custom-format file, then random bytes. */
  public static byte[] customDump(int length, long seed) {
    byte[] bytes = random(length, seed);
    System.arraycopy("PGDMP".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, Math.min(5, length));
    return bytes;
  }

  /** Compressible, like a real dump with -Z0. */
  public static byte[] sqlText(int length) {
    StringBuilder text = new StringBuilder();
    for (int row = 0; text.length() < length; row++) {
      text.append("INSERT INTO link_users VALUES (").append(row).append(", 'user").append(row).append("');\n");
    }
    return text.substring(0, length).getBytes(StandardCharsets.US_ASCII);
  }
}
