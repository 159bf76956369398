package io.pgrunbooks.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.Http;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A property-based fuzz run of the whole API from its own OpenAPI document: schemathesis (PyPI,
 * installed by scripts/lib.sh ensure_fuzz_venv) sends thousands of generated requests, valid and
 * invalid, and no answer may be a 5xx or carry a Java stack trace (hooks.py's no_stack_trace, and
 * a scan of every recorded response here).
 *
 * <p>Nothing it starts can run: this API starts runs on a task queue of its own that no worker
 * polls, so a run it starts (a restore of "demo" too) only exists in Temporal and never executes;
 * the API holds no connection details of any target, only their names. Every run and schedule on
 * that task queue is ended afterwards.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiFuzzTest {
  private static final String TASK_QUEUE = "pg-runbooks-fuzz-" + UUID.randomUUID();
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The same patterns as hooks.py: a stack frame, or an exception's class name. */
  private static final Pattern STACK_TRACE =
      Pattern.compile("\\tat [\\w.$]+\\(|\\bat (io|java|jdk|org|com)\\.[\\w.$]+\\(|\\b[\\w.]+(Exception|Error):");
  private static final Path OUT = Path.of("target", "fuzz");
  private static Path schemathesis;
  /** Requests sent by both passes (the HARs' entries), for the total asserted at the end. */
  private static int requests;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
    registry.add("pgrunbooks.task-queue", () -> TASK_QUEUE);
  }

  @BeforeAll
  static void findSchemathesis() throws IOException {
    String configured = System.getenv("SCHEMATHESIS");
    schemathesis = configured != null && !configured.isBlank()
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".cache", "pg-runbooks", "venv", "bin", "schemathesis");
    if (!Files.isExecutable(schemathesis)) {
      String why = "schemathesis is not at " + schemathesis + ": ./dev test installs it (scripts/lib.sh ensure_fuzz_venv)";
      if (System.getenv("CI") != null) {
        fail(why);
      }
      assumeThat(false).as(why).isTrue();
    }
    Files.createDirectories(OUT);
  }

  @AfterAll
  static void endEverythingItStarted() {
    WorkflowClient client =
        WorkflowClient.newInstance(StackFixture.service(), WorkflowClientOptions.newBuilder().build());
    ScheduleClient schedules = ScheduleClient.newInstance(StackFixture.service(), ScheduleClientOptions.newBuilder().build());
    schedules.listSchedules().forEach(s -> {
      var handle = schedules.getHandle(s.getScheduleId());
      if (handle.describe().getSchedule().getAction() instanceof ScheduleActionStartWorkflow a
          && TASK_QUEUE.equals(a.getOptions().getTaskQueue())) {
        handle.delete();
      }
    });
    client.listExecutions("TaskQueue = '" + TASK_QUEUE + "' AND ExecutionStatus = 'Running'")
        .forEach(m -> client.newUntypedWorkflowStub(m.getExecution().getWorkflowId())
            .terminate("the API fuzz test started it on a task queue no worker polls"));
  }

  /** The served document, with the configured targets as the only values of a run's target (as a client reading GET /api/targets knows them). */
  private Path document() throws IOException {
    Http.Response r = new Http(port).get("/v3/api-docs", null);
    assertThat(r.status()).isEqualTo(200);
    ObjectNode target = (ObjectNode) r.body().at("/components/schemas/StartRunRequest/properties/target");
    target.putArray("enum").add("demo");
    Path file = OUT.resolve("openapi.json");
    JSON.writeValue(file.toFile(), r.body());
    return file;
  }

  /** Runs schemathesis against this API; the recorded requests (a HAR) once it has finished. */
  private JsonNode fuzz(String pass, String token, int maxExamples, List<String> extra) throws Exception {
    Path dir = OUT.resolve(pass);
    List<String> command = new ArrayList<>(List.of(
        schemathesis.toString(), "run", document().toString(),
        "--url", "http://127.0.0.1:" + port,
        "--checks", "not_a_server_error,no_stack_trace",
        "--max-examples", String.valueOf(maxExamples),
        "--workers", "2",
        "--seed", "8",
        "--phases", "examples,coverage,fuzzing",
        "--suppress-health-check", "all",
        "--request-timeout", "30",
        "--report", "har,junit",
        "--report-dir", dir.toString(),
        "--warnings", "off"));
    if (token != null) {
      command.addAll(List.of("--header", "Authorization: Bearer " + token));
    }
    command.addAll(extra);
    deleteRecursively(dir);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(OUT.resolve(pass + ".log").toFile());
    pb.environment().put("SCHEMATHESIS_HOOKS", Path.of("src/test/resources/schemathesis/hooks.py").toAbsolutePath().toString());
    pb.environment().put("NO_COLOR", "1");
    Instant start = Instant.now();
    Process p = pb.start();
    if (!p.waitFor(6, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("schemathesis did not finish in 6 minutes; its output: " + OUT.resolve(pass + ".log"));
    }
    String log = Files.readString(OUT.resolve(pass + ".log"));
    System.out.println("schemathesis " + pass + ": " + Duration.between(start, Instant.now()).toSeconds() + " s, exit " + p.exitValue()
        + "\n" + log.substring(Math.max(0, log.length() - 3000)));
    assertThat(p.exitValue()).as("schemathesis found failures:\n%s", log).isZero();
    return JSON.readTree(Files.list(dir).filter(f -> f.getFileName().toString().startsWith("har-")).findFirst().orElseThrow().toFile());
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Test
  @Order(1)
  void withAnOperatorTokenNoRequestGetsA5xxOrAStackTrace() throws Exception {
    JsonNode entries = fuzz("operator", StackFixture.OPERATOR_TOKEN, 300, List.of()).at("/log/entries");
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (JsonNode e : entries) {
      int status = e.at("/response/status").asInt();
      statuses.merge(status, 1, Integer::sum);
      String body = e.at("/response/content/text").asText("");
      assertThat(STACK_TRACE.matcher(body).find()).as("%s %s answered %s", e.at("/request/method").asText(), e.at("/request/url").asText(), body).isFalse();
      assertThat(status).as("%s %s answered %s", e.at("/request/method").asText(), e.at("/request/url").asText(), body).isLessThan(500);
    }
    System.out.println("operator pass: " + entries.size() + " requests, by status " + statuses);
    requests += entries.size();
    assertThat(entries.size()).as("generated requests with a token").isGreaterThanOrEqualTo(2500);
    assertThat(statuses).as("valid requests got through, too").containsKeys(200, 202);
  }

  @Test
  @Order(2)
  void withoutATokenEveryRequestIs401() throws Exception {
    JsonNode entries = fuzz("anonymous", null, 15, List.of()).at("/log/entries");
    for (JsonNode e : entries) {
      assertThat(e.at("/response/status").asInt()).as("%s %s", e.at("/request/method").asText(), e.at("/request/url").asText()).isEqualTo(401);
    }
    System.out.println("anonymous pass: " + entries.size() + " requests, all 401");
    requests += entries.size();
    assertThat(entries.size()).as("generated requests without a token").isGreaterThanOrEqualTo(500);
    assertThat(requests).as("generated requests in all").isGreaterThanOrEqualTo(3500);
  }
}
