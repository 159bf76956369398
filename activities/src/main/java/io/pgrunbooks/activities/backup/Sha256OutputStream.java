package io.pgrunbooks.activities.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Passes bytes through while computing their SHA-256: the checksum of the object as stored. */
final class Sha256OutputStream extends FilterOutputStream {
  private final MessageDigest digest;

  Sha256OutputStream(OutputStream out) {
    super(out);
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void write(int b) throws IOException {
    digest.update((byte) b);
    out.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    digest.update(b, off, len);
    out.write(b, off, len);
  }

  /** The hex digest; call once, after the last byte. */
  String hex() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
