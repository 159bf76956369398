package io.pgrunbooks.activities.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.ShortBufferException;

/**
 * Reads what {@code openssl enc -aes-256-cbc -salt -pbkdf2 -iter N} wrote. A wrong passphrase or
 * iteration count cannot be seen before the last block: its padding check then throws {@link
 * WrongKeyException} instead of returning end of stream, so a reader never takes garbage for a
 * complete result. (A wrong key passes that check about once in 256 tries; {@link
 * EncryptedBackups#open} also looks at the first bytes.)
 */
public final class OpensslDecryptingInputStream extends InputStream {
  private final InputStream in;
  private final Cipher cipher;
  private final int iterations;
  private final byte[] encrypted = new byte[OpensslFormat.CHUNK];
  private final byte[] plain = new byte[OpensslFormat.CHUNK + 2 * OpensslFormat.BLOCK];
  private int plainStart;
  private int plainEnd;
  private long ciphertextLength;
  private boolean finished;

  /** Reads and checks the header at once. */
  public OpensslDecryptingInputStream(InputStream in, String passphrase, int iterations) throws IOException {
    this.in = in;
    byte[] header = in.readNBytes(OpensslFormat.HEADER_LENGTH);
    if (header.length < OpensslFormat.HEADER_LENGTH
        || !Arrays.equals(header, 0, OpensslFormat.MAGIC.length, OpensslFormat.MAGIC, 0, OpensslFormat.MAGIC.length)) {
      throw new CorruptInputException(
          "not openssl enc output with a salt: it must start with 'Salted__' and 8 bytes of salt");
    }
    byte[] salt = Arrays.copyOfRange(header, OpensslFormat.MAGIC.length, OpensslFormat.HEADER_LENGTH);
    this.cipher = OpensslFormat.cipher(Cipher.DECRYPT_MODE, passphrase, salt, iterations);
    this.iterations = iterations;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (plainStart == plainEnd) {
      if (finished) {
        return -1;
      }
      decryptNextChunk();
    }
    int n = Math.min(len, plainEnd - plainStart);
    System.arraycopy(plain, plainStart, b, off, n);
    plainStart += n;
    return n;
  }

  @Override
  public int available() {
    return plainEnd - plainStart;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private void decryptNextChunk() throws IOException {
    int n = in.read(encrypted, 0, encrypted.length);
    plainStart = 0;
    try {
      if (n >= 0) {
        ciphertextLength += n;
        plainEnd = cipher.update(encrypted, 0, n, plain, 0);
        return;
      }
      finished = true;
      if (ciphertextLength == 0) {
        throw new CorruptInputException("openssl enc output ends after its header: the file is truncated");
      }
      plainEnd = cipher.doFinal(plain, 0);
    } catch (BadPaddingException e) {
      plainEnd = 0;
      throw new WrongKeyException(
          "wrong passphrase or PBKDF2 iteration count: the last block does not decrypt to valid padding"
              + " (tried "
              + iterations
              + " iterations; the seed's openssl command uses "
              + OpensslFormat.DEFAULT_ITERATIONS
              + ")",
          e);
    } catch (IllegalBlockSizeException e) {
      plainEnd = 0;
      throw new CorruptInputException(
          "openssl enc output of "
              + ciphertextLength
              + " bytes after the header is not a whole number of 16-byte blocks: the file is truncated",
          e);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("the plaintext buffer holds a chunk and two blocks", e);
    }
  }
}
