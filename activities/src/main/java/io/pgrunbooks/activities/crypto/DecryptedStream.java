package io.pgrunbooks.activities.crypto;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * The plaintext of an encrypted backup, with what was learned while opening it: the container
 * format, the id of the key that opened it, and a look at the payload's first bytes that consumes
 * nothing. Reading to the end checks the container's integrity (padding, MDC) and throws a {@link
 * DecryptionException} rather than report a clean end when it fails.
 */
public final class DecryptedStream extends FilterInputStream {
  private final ContainerFormat container;
  private final Supplier<String> keyId;
  private String knownKeyId;
  private PayloadFormat payload;

  DecryptedStream(InputStream plain, ContainerFormat container, Supplier<String> keyId) {
    super(new BufferedInputStream(plain, OpensslFormat.CHUNK));
    this.container = container;
    this.keyId = keyId;
  }

  public ContainerFormat container() {
    return container;
  }

  /**
   * The id of the key that opened the stream ({@link KeyIds}): the OpenPGP key id, or the
   * passphrase's id (computed on first call, as costly as one PBKDF2 derivation).
   */
  public String keyId() {
    if (knownKeyId == null) {
      knownKeyId = keyId.get();
    }
    return knownKeyId;
  }

  /**
   * What the plaintext holds, from its first {@link PayloadFormat#HEAD_LENGTH} bytes, which stay
   * unread. On a short payload this reads to the end, so a wrong openssl key surfaces here as {@link
   * WrongKeyException}.
   */
  public PayloadFormat payload() throws IOException {
    if (payload == null) {
      in.mark(PayloadFormat.HEAD_LENGTH);
      byte[] head = in.readNBytes(PayloadFormat.HEAD_LENGTH);
      in.reset();
      payload = PayloadFormat.detect(head);
    }
    return payload;
  }

  @Override
  public boolean markSupported() {
    return false; // the mark belongs to payload()
  }
}
