package io.pgrunbooks.activities.crypto;

import java.io.IOException;

/**
 * Decryption cannot go on, for a reason that retrying will not fix: the key is wrong or the input
 * is damaged or not what it claims to be. Callers map it to a non-retryable failure (exit code 1).
 */
public abstract class DecryptionException extends IOException {
  protected DecryptionException(String message) {
    super(message);
  }

  protected DecryptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
