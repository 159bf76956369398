package io.pgrunbooks.api.errors;

/** A named thing that does not exist; answered with 404 and the message. */
public class NotFound extends RuntimeException {
  public NotFound(String message) {
    super(message);
  }
}
