package io.pgrunbooks.api.security;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 401 and 403 as problem details, keeping the WWW-Authenticate header Spring's handlers set. */
final class ProblemResponses {
  private ProblemResponses() {}

  static AuthenticationEntryPoint unauthorized() {
    BearerTokenAuthenticationEntryPoint headers = new BearerTokenAuthenticationEntryPoint();
    return (request, response, e) -> {
      headers.commence(request, response, e);
      write(
          response,
          HttpStatus.UNAUTHORIZED,
          "Unauthorized",
          "send 'Authorization: Bearer <token>' with a valid token ("
              + (e.getMessage() == null ? "no token" : e.getMessage())
              + ")");
    };
  }

  static AccessDeniedHandler forbidden() {
    BearerTokenAccessDeniedHandler headers = new BearerTokenAccessDeniedHandler();
    return (request, response, e) -> {
      headers.handle(request, response, e);
      write(
          response,
          HttpStatus.FORBIDDEN,
          "Forbidden",
          "your roles do not allow " + request.getMethod() + " " + request.getRequestURI()
              + " (reading needs viewer, starting runs needs operator, rejecting needs operator or approver, approving needs approver)");
    };
  }

  private static void write(HttpServletResponse response, HttpStatus status, String title, String detail)
      throws IOException {
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response
        .getWriter()
        .write(
            "{\"type\":\"about:blank\",\"title\":\""
                + title
                + "\",\"status\":"
                + status.value()
                + ",\"detail\":\""
                + detail.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"}");
  }
}
