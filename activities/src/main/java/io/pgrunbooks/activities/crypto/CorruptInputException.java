package io.pgrunbooks.activities.crypto;

/**
 * The input is truncated, modified, or not an encrypted format we read; the message says which
 * and, where the bytes tell, what the input looks like instead.
 */
public class CorruptInputException extends DecryptionException {
  public CorruptInputException(String message) {
    super(message);
  }

  public CorruptInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
