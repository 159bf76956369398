package io.pgrunbooks.api.errors;

import org.springframework.http.HttpStatus;

/** Something the answer needs (e.g. a worker to answer a query) is not there now; 503, try again later. */
public class Unavailable extends ApiProblem {
  public Unavailable(String message) {
    super(HttpStatus.SERVICE_UNAVAILABLE, "Unavailable", message);
  }
}
