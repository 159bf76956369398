package io.pgrunbooks.api.errors;

import org.springframework.http.HttpStatus;

/** Input the caller can correct; answered with 400 and the message. */
public class BadRequest extends ApiProblem {
  public BadRequest(String message) {
    super(HttpStatus.BAD_REQUEST, "Invalid request", message);
  }
}
