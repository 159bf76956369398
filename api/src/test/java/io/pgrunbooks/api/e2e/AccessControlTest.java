package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static io.pgrunbooks.api.e2e.Problems.assertProblem;

import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.Http;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint, table-driven: no token or an unknown one is 401, a token whose roles do not
 * allow it is 403, and the roles that do allow it get past the door (a 4xx about the request, never
 * 401 or 403). The table must name every endpoint the application maps. Self-approval is refused
 * in ApprovalsEndToEndTest (a run is needed for it).
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AccessControlTest {
  /** A known person whose roles are none the API knows: authenticated, allowed nothing. */
  private static final String NO_ROLE_TOKEN = "no-role-token-" + java.util.UUID.randomUUID();

  @LocalServerPort int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
    registry.add("pgrunbooks.security.tokens[4].name", () -> "nora");
    registry.add("pgrunbooks.security.tokens[4].token", () -> NO_ROLE_TOKEN);
    registry.add("pgrunbooks.security.tokens[4].roles", () -> "auditor");
  }

  /**
   * @param endpoint as the handler mapping names it
   * @param path a concrete path
   * @param body the JSON body (null: none)
   * @param allowed tokens that get past authorization
   * @param refused tokens that get 403
   */
  record Endpoint(String endpoint, String path, String body, List<String> allowed, List<String> refused) {
    @Override
    public String toString() {
      return endpoint;
    }
  }

  private static final String VIEWER = StackFixture.VIEWER_TOKEN;
  private static final String OPERATOR = StackFixture.OPERATOR_TOKEN;
  private static final String APPROVER = StackFixture.APPROVER_TOKEN;
  private static final String REJECTION = "{\"gateId\":\"g\",\"decision\":\"reject\",\"comment\":\"no\"}";
  private static final String APPROVAL = "{\"gateId\":\"g\",\"decision\":\"approve\",\"digest\":\"d\"}";

  static Stream<Endpoint> endpoints() {
    List<String> readers = List.of(VIEWER, OPERATOR, APPROVER);
    List<String> nonOperators = List.of(VIEWER, APPROVER, NO_ROLE_TOKEN);
    return Stream.of(
        new Endpoint("GET /api/runbooks", "/api/runbooks", null, readers, List.of(NO_ROLE_TOKEN)),
        new Endpoint("GET /api/targets", "/api/targets", null, readers, List.of(NO_ROLE_TOKEN)),
        new Endpoint("GET /api/runs", "/api/runs", null, readers, List.of(NO_ROLE_TOKEN)),
        new Endpoint("GET /api/runs/{workflowId}", "/api/runs/none/demo/1", null, readers, List.of(NO_ROLE_TOKEN)),
        new Endpoint("POST /api/runs", "/api/runs", "{}", List.of(OPERATOR), nonOperators),
        new Endpoint("GET /api/approvals/{workflowId}", "/api/approvals/none/demo/1", null, readers, List.of(NO_ROLE_TOKEN)),
        // rejecting: operator or approver; approving: approver only (a second row below)
        new Endpoint("POST /api/approvals/{workflowId}", "/api/approvals/none/demo/1", REJECTION, List.of(OPERATOR, APPROVER), List.of(VIEWER, NO_ROLE_TOKEN)),
        new Endpoint("POST /api/approvals/{workflowId}", "/api/approvals/none/demo/1", APPROVAL, List.of(APPROVER), List.of(OPERATOR, VIEWER, NO_ROLE_TOKEN)),
        new Endpoint("GET /api/reports/{workflowId}", "/api/reports/none/demo/1", null, readers, List.of(NO_ROLE_TOKEN)),
        new Endpoint("GET /api/schedules", "/api/schedules", null, readers, List.of(NO_ROLE_TOKEN)),
        new Endpoint("POST /api/schedules", "/api/schedules", "{}", List.of(OPERATOR), nonOperators),
        new Endpoint("DELETE /api/schedules/{id}", "/api/schedules/none/demo", null, List.of(OPERATOR), nonOperators),
        new Endpoint("POST /api/alerts/alertmanager", "/api/alerts/alertmanager", "{}", List.of(OPERATOR), nonOperators));
  }

  private Http.Response call(Endpoint e, String token) {
    Http http = new Http(port);
    return switch (e.endpoint().substring(0, e.endpoint().indexOf(' '))) {
      case "GET" -> http.get(e.path(), token);
      case "POST" -> http.post(e.path(), token, e.body());
      case "DELETE" -> http.delete(e.path(), token);
      default -> throw new IllegalArgumentException(e.endpoint());
    };
  }

  @Test
  void theTableHasEveryEndpointTheApplicationMaps() {
    Set<String> table = endpoints().map(Endpoint::endpoint).collect(Collectors.toSet());
    assertThat(table).containsExactlyInAnyOrderElementsOf(Endpoints.of(mappings).keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endpoints")
  void noTokenOrAnUnknownOneIs401(Endpoint e) {
    assertProblem(call(e, null), 401, "Bearer");
    assertProblem(call(e, "not-a-token"), 401, "unknown bearer token");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endpoints")
  void aRoleThatDoesNotAllowItIs403(Endpoint e) {
    for (String token : e.refused()) {
      Http.Response r = call(e, token);
      assertThat(r.status()).as("%s with %s: %s", e, token, r.raw()).isEqualTo(403);
      assertThat(r.body().get("detail").asText()).as(r.raw()).containsAnyOf("your roles do not allow", "approving needs the approver role");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endpoints")
  void theRolesThatAllowItGetPastTheDoor(Endpoint e) {
    for (String token : e.allowed()) {
      Http.Response r = call(e, token);
      assertThat(r.status()).as("%s with %s: %s", e, token, r.raw()).isNotIn(401, 403).isLessThan(500);
    }
  }

  @Test
  void theOpenApiDocumentAndHealthNeedNoToken() {
    Map.of("/v3/api-docs", 200, "/actuator/health", 200)
        .forEach((path, status) -> assertThat(new Http(port).get(path, null).status()).as(path).isEqualTo(status));
  }
}
