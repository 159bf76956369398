package io.pgrunbooks.api.errors;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;

/**
 * Every error as a problem detail. Spring's handler covers wrong methods and media types (all
 * 4xx); ours adds malformed bodies with the parser's reason, bad input, refusals (403), conflicts
 * with the run's state (409), unknown names, and Temporal or a worker being unreachable (503, since
 * retrying later helps). Anything else is logged and answered without a stack trace.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  @ExceptionHandler(ApiProblem.class)
  ProblemDetail api(ApiProblem e) {
    return problem(e.status(), e.title(), e.getMessage());
  }

  /** Spring's own detail ("Failed to read request") does not say what is wrong; the parser does. */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    return ResponseEntity.badRequest()
        .body(problem(HttpStatus.BAD_REQUEST, "Invalid request", unreadable(e.getMostSpecificCause())));
  }

  /** Syntax errors with their place; type errors by field name, never by Java class. */
  private static String unreadable(Throwable cause) {
    if (cause instanceof StreamReadException syntax) {
      TokenStreamLocation at = syntax.getLocation();
      return "the request body is not valid JSON: " + syntax.getOriginalMessage()
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }
    if (cause instanceof JacksonException mapping) {
      String field =
          mapping.getPath().stream()
              .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."));
      return field.isEmpty()
          ? "the request body must be a JSON object"
          : "'" + field + "' has the wrong type";
    }
    return "the request body is missing or is not JSON";
  }

  /** The client wraps gRPC errors (WorkflowServiceException and friends); find the status inside. */
  @ExceptionHandler(io.temporal.client.WorkflowException.class)
  ProblemDetail temporalClient(io.temporal.client.WorkflowException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException status) {
        return temporal(status);
      }
    }
    return unexpected(e);
  }

  @ExceptionHandler(StatusRuntimeException.class)
  ProblemDetail temporal(StatusRuntimeException e) {
    if (e.getStatus().getCode() == Status.Code.UNAVAILABLE
        || e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return problem(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Temporal unavailable",
          "the Temporal server cannot be reached; try again when it is up ("
              + e.getStatus().getCode()
              + ")");
    }
    log.error("Temporal call failed", e);
    return problem(HttpStatus.BAD_GATEWAY, "Temporal error", e.getStatus().getCode() + ": " + e.getStatus().getDescription());
  }

  /**
   * Tomcat refuses to parse a query string with a parameter that has no name ({@code ?=x}) when
   * the controller first asks for a parameter; the request is wrong, not the server.
   */
  @ExceptionHandler(InvalidParameterException.class)
  ProblemDetail unparseableQuery(InvalidParameterException e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid request", "the query string cannot be parsed: every parameter needs a name");
  }

  @ExceptionHandler(Exception.class)
  ProblemDetail unexpected(Exception e) {
    log.error("unexpected error", e);
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "unexpected error; the server log has the details");
  }

  static ProblemDetail problem(HttpStatus status, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setTitle(title);
    return p;
  }
}
