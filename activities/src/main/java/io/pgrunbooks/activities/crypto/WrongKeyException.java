package io.pgrunbooks.activities.crypto;

/**
 * The key material does not open the input: a wrong passphrase, a wrong PBKDF2 iteration count, a
 * secret key the file was not encrypted for, or a wrong passphrase for that secret key.
 */
public class WrongKeyException extends DecryptionException {
  public WrongKeyException(String message) {
    super(message);
  }

  public WrongKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
