package io.pgrunbooks.api.errors;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as a problem detail. Spring's handler covers malformed bodies, wrong methods and
 * media types (all 4xx); ours adds bad input, unknown names, and Temporal being unreachable (503,
 * since retrying later helps). Anything else is logged and answered without a stack trace.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  @ExceptionHandler(BadRequest.class)
  ProblemDetail badRequest(BadRequest e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
  }

  @ExceptionHandler(NotFound.class)
  ProblemDetail notFound(NotFound e) {
    return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
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
