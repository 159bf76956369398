package io.pgrunbooks.api.errors;

import org.springframework.http.HttpStatus;

/** The request is valid but the run is not in a state to take it; answered with 409 and the message. */
public class Conflict extends ApiProblem {
  public Conflict(String message) {
    super(HttpStatus.CONFLICT, "Conflict", message);
  }
}
