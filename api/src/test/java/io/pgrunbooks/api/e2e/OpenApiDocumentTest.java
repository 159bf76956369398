package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.api.runs.ScheduleRequest;
import io.pgrunbooks.api.runs.StartRunRequest;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.workflows.catalog.RunbookCatalog;
import io.pgrunbooks.workflows.catalog.RunbookDescriptor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The OpenAPI document at /v3/api-docs is the application's: every endpoint Spring MVC maps for
 * this API is in it with its methods, nothing else is, and the bodies have the records' field names.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiDocumentTest {
  @LocalServerPort int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  private JsonNode doc;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
  }

  @BeforeEach
  void readDocumentWithoutAToken() {
    Http.Response r = new Http(port).get("/v3/api-docs", null);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    doc = r.body();
  }

  private Map<String, HandlerMethod> realEndpoints() {
    return Endpoints.of(mappings);
  }

  private Set<String> documentedOperations() {
    Set<String> documented = new TreeSet<>();
    doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(
        op -> documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey())));
    return documented;
  }

  @Test
  void everyRealEndpointIsDocumentedAndNothingElse() {
    Set<String> real = realEndpoints().keySet();
    assertThat(real).as("the API's endpoints").contains("POST /api/runs", "GET /api/runs/{workflowId}",
        "POST /api/approvals/{workflowId}", "POST /api/schedules", "DELETE /api/schedules/{id}", "GET /api/reports/{workflowId}");
    assertThat(documentedOperations()).containsExactlyInAnyOrderElementsOf(real);
  }

  @Test
  void everyBodyTheControllersReadHasASchemaWithFields() {
    realEndpoints().forEach((operation, handler) -> {
      boolean readsBody = Arrays.stream(handler.getMethodParameters()).anyMatch(p -> p.hasParameterAnnotation(RequestBody.class));
      JsonNode op = operation(operation);
      assertThat(op.has("requestBody")).as("%s documents a body exactly when it reads one", operation).isEqualTo(readsBody);
      if (readsBody) {
        String ref = op.at("/requestBody/content/application~1json/schema/$ref").asText();
        assertThat(ref).as(operation).startsWith("#/components/schemas/");
        assertThat(properties(ref.substring(ref.lastIndexOf('/') + 1))).as(operation).isNotEmpty();
      }
    });
  }

  @Test
  void aRunsBodyHasEveryFieldOfStartRunRequestAndNeedsRunbookAndTarget() {
    assertThat(bodySchema("POST /api/runs")).isEqualTo("StartRunRequest");
    assertThat(properties("StartRunRequest")).containsExactlyInAnyOrderElementsOf(components(StartRunRequest.class));
    assertThat(schema("StartRunRequest").get("required")).extracting(JsonNode::asText).containsExactlyInAnyOrder("runbook", "target");
    assertThat(schema("StartRunRequest").at("/properties/runbook/enum")).extracting(JsonNode::asText)
        .containsExactlyElementsOf(RunbookCatalog.ALL.stream().map(RunbookDescriptor::name).toList());
  }

  @Test
  void aSchedulesBodyHasItsFieldsAndTheRunItStarts() {
    assertThat(bodySchema("POST /api/schedules")).isEqualTo("ScheduleRequest");
    assertThat(properties("ScheduleRequest")).containsExactlyInAnyOrderElementsOf(components(ScheduleRequest.class));
    assertThat(schema("ScheduleRequest").at("/properties/run/$ref").asText()).isEqualTo("#/components/schemas/StartRunRequest");
  }

  @Test
  void aDecisionsBodyHasTheFieldsTheControllerAccepts() {
    assertThat(bodySchema("POST /api/approvals/{workflowId}")).isEqualTo("DecisionRequest");
    // the controller's own list (DecisionRequest.FIELDS) is held to the schema's record in DecisionFieldsTest
    assertThat(properties("DecisionRequest")).containsExactly("comment", "decision", "digest", "expiresInSeconds", "gateId");
    assertThat(schema("DecisionRequest").get("required")).extracting(JsonNode::asText).containsExactlyInAnyOrder("gateId", "decision");
    assertThat(schema("DecisionRequest").at("/properties/decision/enum")).extracting(JsonNode::asText).containsExactly("approve", "reject");
    assertThat(schema("DecisionRequest").get("additionalProperties").asBoolean(true)).isFalse();
  }

  @Test
  void everyOperationNeedsABearerTokenAndSaysWhatA401And403Are() {
    assertThat(doc.at("/components/securitySchemes/bearer/type").asText()).isEqualTo("http");
    assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
    assertThat(doc.get("security").toString()).isEqualTo("[{\"bearer\":[]}]");
    for (String operation : documentedOperations()) {
      JsonNode op = operation(operation);
      assertThat(op.has("security")).as("%s does not override the bearer requirement", operation).isFalse();
      assertThat(op.at("/responses/401/content/application~1problem+json/schema/$ref").asText()).as(operation)
          .isEqualTo("#/components/schemas/Problem");
      assertThat(op.at("/responses/403").isMissingNode()).as(operation).isFalse();
    }
  }

  @Test
  void theSuccessStatusesAreTheControllersOwn() {
    assertThat(operation("POST /api/runs").at("/responses/202").isMissingNode()).isFalse();
    assertThat(operation("POST /api/approvals/{workflowId}").at("/responses/202").isMissingNode()).isFalse();
    assertThat(operation("POST /api/schedules").at("/responses/201").isMissingNode()).isFalse();
    assertThat(operation("DELETE /api/schedules/{id}").at("/responses/204").isMissingNode()).isFalse();
    assertThat(operation("GET /api/reports/{workflowId}").at("/responses/200/content/text~1markdown").isMissingNode()).isFalse();
  }

  @Test
  void theDocumentIsAlsoServedAsYamlAndToAViewer() {
    Http http = new Http(port);
    Http.Response yaml = http.get("/v3/api-docs.yaml", null);
    assertThat(yaml.status()).isEqualTo(200);
    assertThat(yaml.raw()).contains("openapi: 3.1.0").contains("/api/runs:");
    assertThat(http.get("/v3/api-docs", StackFixture.VIEWER_TOKEN).status()).isEqualTo(200);
  }

  private JsonNode operation(String operation) {
    String[] parts = operation.split(" ", 2);
    JsonNode op = doc.get("paths").path(parts[1]).path(parts[0].toLowerCase(Locale.ROOT));
    assertThat(op.isMissingNode()).as("%s is documented", operation).isFalse();
    return op;
  }

  private String bodySchema(String operation) {
    String ref = operation(operation).at("/requestBody/content/application~1json/schema/$ref").asText();
    return ref.substring(ref.lastIndexOf('/') + 1);
  }

  private JsonNode schema(String name) {
    JsonNode s = doc.at("/components/schemas/" + name);
    assertThat(s.isMissingNode()).as("schema %s", name).isFalse();
    return s;
  }

  private List<String> properties(String schema) {
    return schema(schema).path("properties").properties().stream().map(Map.Entry::getKey).sorted().toList();
  }

  private static List<String> components(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).sorted().collect(Collectors.toList());
  }
}
