package io.pgrunbooks.api.e2e;

import static io.pgrunbooks.api.e2e.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.api.ApiApplication;
import io.pgrunbooks.harness.Http;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.harness.TemporalDevServer;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.ApprovalGate;
import io.pgrunbooks.workflows.approval.GateRequest;
import io.pgrunbooks.workflows.approval.GatedWorkflow;
import io.pgrunbooks.workflows.approval.GatedWorkflowImpl;
import io.pgrunbooks.workflows.approval.OnTimeout;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionSignaledEventAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.common.converter.DataConverter;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Decisions at a gate over HTTP, on the real dev server. No runbook opens a gate yet, so the run is
 * the workflows module's test-only {@link GatedWorkflow} on a worker in this JVM, started the way
 * {@code POST /api/runs} starts runbooks: the requester in its input and in RequestedBy. Every test
 * checks what the run did (its history's signals, its {@code approvals} query, its result), not
 * only the HTTP answer.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApprovalsEndToEndTest {
  private static final String QUEUE = "pg-runbooks-e2e-approvals";
  private static final GateRequest SWAP =
      new GateRequest(
          "swap-databases", "rename link_users -> link_users_old, link_users_restored -> link_users",
          "target demo, database link_users", "the restored copy passed verification",
          Duration.ofHours(1), OnTimeout.KEEP_WAITING);
  private static final String DIGEST = ApprovalGate.digest(SWAP.description());

  private static WorkflowClient client;
  private static WorkerFactory workers;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackFixture.apiProperties(registry);
  }

  @BeforeAll
  static void startGatedWorker() {
    client =
        WorkflowClient.newInstance(
            StackFixture.service(), WorkflowClientOptions.newBuilder().setNamespace("default").build());
    workers = WorkerFactory.newInstance(client);
    workers.newWorker(QUEUE).registerWorkflowImplementationTypes(GatedWorkflowImpl.class);
    workers.start();
  }

  @AfterAll
  static void stopGatedWorker() {
    workers.shutdownNow();
  }

  @Test
  void anApproverApprovesWithTheCurlLineFromTheStatusAndTheGateCloses() {
    String id = startGated("carol");
    JsonNode status = http().get("/api/runs/" + id, StackFixture.APPROVER_TOKEN).body();
    assertThat(status.get("status").asText()).isEqualTo("RUNNING");
    JsonNode pending = status.get("awaitingApproval");
    assertThat(pending).as(status.toString()).hasSize(1);
    assertThat(pending.at("/0/gateId").asText()).isEqualTo("swap-databases");
    assertThat(pending.at("/0/description").asText()).isEqualTo(SWAP.description());
    assertThat(pending.at("/0/digest").asText()).isEqualTo(DIGEST);
    assertThat(pending.at("/0/reject/curl").asText()).contains("\"decision\":\"reject\"");
    assertThat(pending.at("/0/approve/temporal").asText()).contains("--workflow-id '" + id + "'", "--name approve");

    // The status's curl line, pasted as is but for the comment, with bob's token in the environment.
    String curl = pending.at("/0/approve/curl").asText().replace("<why it is safe now>", "verified the restored copy");
    JsonNode answer = json(shell("export PGRUNBOOKS_TOKEN='" + StackFixture.APPROVER_TOKEN + "'; " + curl));
    assertThat(answer.get("person").asText()).as(answer.toString()).isEqualTo("bob");
    assertThat(answer.at("/gate/open").asBoolean()).as(answer.toString()).isFalse();
    assertThat(answer.at("/gate/decisions/0").asText()).endsWith("approved by bob: verified the restored copy");

    JsonNode done = http().get("/api/runs/" + id + "?wait=10", StackFixture.VIEWER_TOKEN).body();
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.at("/result/approved").asBoolean()).isTrue();
    assertThat(done.at("/result/decidedBy").asText()).isEqualTo("bob");
    assertThat(done.get("awaitingApproval")).isEmpty();
    ApprovalDecision signalled = onlySignal(id, "approve");
    assertThat(signalled.person()).isEqualTo("bob");
    assertThat(signalled.digest()).isEqualTo(DIGEST);
    assertThat(signalled.expiresAt()).isNull();

    // The audit view reads closed runs too, and a decision on a closed run is a 409.
    JsonNode audit = http().get("/api/approvals/" + id, StackFixture.VIEWER_TOKEN).body();
    assertThat(audit.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(audit.get("requestedBy").asText()).isEqualTo("carol");
    assertThat(audit.at("/gates/0/open").asBoolean()).isFalse();
    assertThat(audit.at("/gates/0/decisions").toString()).contains("approved by bob: verified the restored copy");
    assertProblem(approve(id, StackFixture.APPROVER_TOKEN, DIGEST), 409, "is COMPLETED: no gate waits");
  }

  @Test
  void anApprovalCarriesItsExpiryAndTheTemporalCommandFromTheStatusWorksAsIs() {
    String id = startGated("carol");
    Http.Response r =
        http().post("/api/approvals/" + id, StackFixture.APPROVER_TOKEN,
            "{\"gateId\":\"swap-databases\",\"decision\":\"approve\",\"digest\":\"" + DIGEST
                + "\",\"comment\":\"ok\",\"expiresInSeconds\":900}");
    assertThat(r.status()).as(r.raw()).isEqualTo(202);
    Instant expiresAt = Instant.parse(onlySignal(id, "approve").expiresAt());
    assertThat(expiresAt).isBetween(Instant.now().plusSeconds(880), Instant.now().plusSeconds(901));

    String second = startGated("carol");
    String temporal =
        http().get("/api/runs/" + second, StackFixture.VIEWER_TOKEN).body().at("/awaitingApproval/0/approve/temporal").asText()
            .replace("<your name>", "dave").replace("<why it is safe now>", "approved from the CLI")
            .replaceFirst("^temporal ", "'" + TemporalDevServer.cli() + "' ");
    shell(temporal);
    assertThat(gate(second).get("open").asBoolean()).isFalse();
    assertThat(gate(second).at("/decisions/0").asText()).endsWith("approved by dave: approved from the CLI");
  }

  @Test
  void theRequesterCannotApproveTheirOwnRunAndTheRunRefusesItToo() {
    String id = startGated("carol");
    assertProblem(
        approve(id, StackFixture.OPERATOR_APPROVER_TOKEN, DIGEST), 403, "carol started run '" + id + "' and cannot approve it");
    assertThat(gate(id).get("open").asBoolean()).isTrue();
    assertThat(signals(id)).isEmpty();

    // Past the API (as with the temporal CLI), the run refuses it itself and keeps the refusal.
    client.newUntypedWorkflowStub(id).signal("approve", new ApprovalDecision("swap-databases", "Carol ", DIGEST, "mine", null));
    JsonNode gate = gate(id);
    assertThat(gate.get("open").asBoolean()).isTrue();
    assertThat(gate.at("/decisions/0").asText()).contains("refused approve by Carol : the person who started the run cannot approve it");
    terminate(id);
  }

  @Test
  void aStaleDigestOrAnotherGateIsA409AndNothingReachesTheRun() {
    String id = startGated("carol");
    assertProblem(
        approve(id, StackFixture.APPROVER_TOKEN, ApprovalGate.digest("an older plan")), 409, "Read it again (GET /api/approvals/" + id);
    Http.Response other =
        http().post("/api/approvals/" + id, StackFixture.APPROVER_TOKEN,
            "{\"gateId\":\"drop-old-database\",\"decision\":\"approve\",\"digest\":\"" + DIGEST + "\"}");
    assertProblem(other, 409, "no open gate 'drop-old-database'; open gates: [swap-databases]");
    assertNothingReachedTheRun(id);
  }

  @Test
  void onlyApproversApproveAndViewersDecideNothing() {
    String id = startGated("carol");
    assertProblem(approve(id, StackFixture.VIEWER_TOKEN, DIGEST), 403, "approving needs approver");
    assertProblem(reject(id, StackFixture.VIEWER_TOKEN, "no"), 403, "rejecting needs operator or approver");
    assertProblem(approve(id, StackFixture.OPERATOR_TOKEN, DIGEST), 403, "approving needs the approver role, which alice does not have");
    assertNothingReachedTheRun(id);
  }

  @Test
  void anOperatorsRejectionEndsTheRunCleanlyWithItsReason() {
    String id = startGated("carol");
    Http.Response r = reject(id, StackFixture.OPERATOR_TOKEN, "the restored copy is from the wrong day");
    assertThat(r.status()).as(r.raw()).isEqualTo(202);
    assertThat(r.body().at("/gate/decisions/0").asText()).endsWith("rejected by alice: the restored copy is from the wrong day");

    JsonNode done = http().get("/api/runs/" + id + "?wait=10", StackFixture.VIEWER_TOKEN).body();
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.get("failure").isNull()).isTrue();
    assertThat(done.at("/result/approved").asBoolean()).isFalse();
    assertThat(done.at("/result/decidedBy").asText()).isEqualTo("alice");
    assertThat(done.at("/result/comment").asText()).isEqualTo("the restored copy is from the wrong day");
    assertThat(onlySignal(id, "reject").person()).isEqualTo("alice");
  }

  @Test
  void anUnknownRunIsA404() {
    assertProblem(approve("gated/demo/no-such-run", StackFixture.APPROVER_TOKEN, DIGEST), 404, "no run with id 'gated/demo/no-such-run'");
    assertProblem(http().get("/api/approvals/gated/demo/no-such-run", StackFixture.VIEWER_TOKEN), 404, "no run with id");
  }

  @Test
  void malformedDecisionsAreA400ThatSaysWhatIsWrongAndReachNothing() {
    String id = startGated("carol");
    String path = "/api/approvals/" + id;
    String approve = "\"gateId\":\"swap-databases\",\"decision\":\"approve\",\"digest\":\"" + DIGEST + "\"";
    // body -> what the answer's detail says
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("{\"gateId\": ", "the request body is not valid JSON: Unexpected end-of-input");
    cases.put("[\"approve\"]", "the request body must be a JSON object");
    cases.put("", "the request body is missing");
    cases.put("{" + approve + ",\"person\":\"dave\"}", "'person' is not accepted: the person deciding is the one your token names");
    cases.put("{\"gateId\":\"swap-databases\",\"decision\":\"maybe\"}", "'decision' must be 'approve' or 'reject', not 'maybe'");
    cases.put("{\"decision\":\"approve\",\"digest\":\"" + DIGEST + "\"}", "'gateId' is required");
    cases.put("{\"gateId\":\"swap-databases\",\"decision\":\"approve\"}", "'digest' is required to approve");
    cases.put("{\"gateId\":\"swap-databases\",\"decision\":\"reject\"}", "'comment' is required to reject");
    cases.put("{" + approve + ",\"expiresInSeconds\":\"soon\"}", "'expiresInSeconds' must be a whole number");
    cases.put("{\"gate\":\"swap-databases\"}", "unknown field 'gate'; the fields are [gateId, decision, digest, comment, expiresInSeconds]");
    cases.forEach((body, detail) -> assertProblem(http().post(path, StackFixture.APPROVER_TOKEN, body), 400, detail));
    assertNothingReachedTheRun(id);
  }

  /** Started as RunService.start starts runbooks, then waits until the gate is open. */
  private String startGated(String requestedBy) {
    String id = "gated/demo/" + UUID.randomUUID();
    GatedWorkflow run =
        client.newWorkflowStub(
            GatedWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId(id)
                .setTypedSearchAttributes(
                    SearchAttributes.newBuilder()
                        .set(RunbookSearchAttributes.RUNBOOK, "Gated")
                        .set(RunbookSearchAttributes.TARGET, "demo")
                        .set(RunbookSearchAttributes.REQUESTED_BY, requestedBy)
                        .set(RunbookSearchAttributes.AWAITING_APPROVAL, false)
                        .build())
                .build());
    WorkflowClient.start(run::run, requestedBy, SWAP);
    for (int i = 0; i < 100 && gateOrNull(id) == null; i++) {
      Processes.sleep(50);
    }
    assertThat(gateOrNull(id)).as("gate of %s open", id).isNotNull();
    return id;
  }

  /** No signal in the history and the gate still open; then the run is ended. */
  private void assertNothingReachedTheRun(String id) {
    assertThat(signals(id)).isEmpty();
    assertThat(gate(id).get("open").asBoolean()).isTrue();
    terminate(id);
  }

  private JsonNode gate(String id) {
    return http().get("/api/approvals/" + id, StackFixture.VIEWER_TOKEN).body().at("/gates/0");
  }

  private JsonNode gateOrNull(String id) {
    JsonNode g = gate(id);
    return g.isMissingNode() ? null : g;
  }

  private Http.Response approve(String id, String token, String digest) {
    return http().post("/api/approvals/" + id, token,
        "{\"gateId\":\"swap-databases\",\"decision\":\"approve\",\"digest\":\"" + digest + "\",\"comment\":\"looks right\"}");
  }

  private Http.Response reject(String id, String token, String comment) {
    return http().post("/api/approvals/" + id, token,
        "{\"gateId\":\"swap-databases\",\"decision\":\"reject\",\"comment\":\"" + comment + "\"}");
  }

  /** The approve and reject signals in the run's history, in order. */
  private static List<WorkflowExecutionSignaledEventAttributes> signals(String id) {
    return client.fetchHistory(id).getEvents().stream()
        .filter(HistoryEvent::hasWorkflowExecutionSignaledEventAttributes)
        .map(HistoryEvent::getWorkflowExecutionSignaledEventAttributes)
        .toList();
  }

  private static ApprovalDecision onlySignal(String id, String name) {
    List<WorkflowExecutionSignaledEventAttributes> signals = signals(id);
    assertThat(signals).hasSize(1);
    assertThat(signals.get(0).getSignalName()).isEqualTo(name);
    return DataConverter.getDefaultInstance()
        .fromPayloads(0, Optional.of(signals.get(0).getInput()), ApprovalDecision.class, ApprovalDecision.class);
  }

  private static void terminate(String id) {
    client.newUntypedWorkflowStub(id).terminate("test over");
  }

  /** Runs a command line as a person would paste it; its standard output. */
  private static String shell(String line) {
    return Processes.run(List.of("bash", "-c", line + " 2>/dev/null"), null, Duration.ofSeconds(30));
  }

  private static JsonNode json(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(text, e);
    }
  }

  private Http http() {
    return new Http(port);
  }
}
