package io.pgrunbooks.api.errors;

/** Input the caller can correct; answered with 400 and the message. */
public class BadRequest extends RuntimeException {
  public BadRequest(String message) {
    super(message);
  }
}
