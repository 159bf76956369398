package io.pgrunbooks.api.errors;

import org.springframework.http.HttpStatus;

/**
 * The caller is known but may not do this here (a rule about the run, not only about roles, e.g.
 * the requester approving their own run); answered with 403 and the message.
 */
public class Forbidden extends ApiProblem {
  public Forbidden(String message) {
    super(HttpStatus.FORBIDDEN, "Forbidden", message);
  }
}
