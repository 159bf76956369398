package io.pgrunbooks.activities.crypto;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;

/**
 * Writes what {@code openssl enc -aes-256-cbc -salt -pbkdf2 -iter N} would write for the same
 * bytes (with a fresh random salt). Input is gathered into chunks so that the cipher always works
 * on tens of KiB at a time; {@link #close()} writes the padded last block.
 */
public final class OpensslEncryptingOutputStream extends FilterOutputStream {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Cipher cipher;
  private final byte[] pending = new byte[OpensslFormat.CHUNK];
  private final byte[] encrypted = new byte[OpensslFormat.CHUNK + 2 * OpensslFormat.BLOCK];
  private int pendingLength;
  private boolean closed;

  /** Writes the header at once; the passphrase is encoded as UTF-8, as openssl's {@code -k} takes it. */
  public OpensslEncryptingOutputStream(OutputStream out, String passphrase, int iterations) throws IOException {
    super(out);
    byte[] salt = new byte[OpensslFormat.SALT_LENGTH];
    RANDOM.nextBytes(salt);
    this.cipher = OpensslFormat.cipher(Cipher.ENCRYPT_MODE, passphrase, salt, iterations);
    out.write(OpensslFormat.MAGIC);
    out.write(salt);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    while (len > 0) {
      int n = Math.min(len, pending.length - pendingLength);
      System.arraycopy(b, off, pending, pendingLength, n);
      pendingLength += n;
      off += n;
      len -= n;
      if (pendingLength == pending.length) {
        encryptPending();
      }
    }
  }

  /** Encrypts what is gathered and flushes; a partial block stays in the cipher until close. */
  @Override
  public void flush() throws IOException {
    encryptPending();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (OutputStream target = out) {
      encryptPending();
      target.write(encrypted, 0, cipher.doFinal(encrypted, 0));
    } catch (GeneralSecurityException e) {
      throw new IOException("AES-256-CBC encryption failed", e);
    }
  }

  private void encryptPending() throws IOException {
    if (pendingLength == 0) {
      return;
    }
    try {
      out.write(encrypted, 0, cipher.update(pending, 0, pendingLength, encrypted, 0));
    } catch (GeneralSecurityException e) {
      throw new IOException("AES-256-CBC encryption failed", e);
    }
    pendingLength = 0;
  }
}
