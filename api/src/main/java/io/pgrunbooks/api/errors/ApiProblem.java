package io.pgrunbooks.api.errors;

import org.springframework.http.HttpStatus;

/** An answer a person can act on: its status, title, and the message as the problem's detail. */
public abstract class ApiProblem extends RuntimeException {
  private final HttpStatus status;
  private final String title;

  protected ApiProblem(HttpStatus status, String title, String message) {
    super(message);
    this.status = status;
    this.title = title;
  }

  HttpStatus status() {
    return status;
  }

  String title() {
    return title;
  }
}
