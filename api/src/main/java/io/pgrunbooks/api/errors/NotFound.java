package io.pgrunbooks.api.errors;

import org.springframework.http.HttpStatus;

/** A named thing that does not exist; answered with 404 and the message. */
public class NotFound extends ApiProblem {
  public NotFound(String message) {
    super(HttpStatus.NOT_FOUND, "Not found", message);
  }
}
