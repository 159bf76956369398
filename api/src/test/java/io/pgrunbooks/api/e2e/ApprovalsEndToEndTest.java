package io.pgrunbooks.api.e2e;

import static io.pgrunbooks.api.e2e.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.activities.approval.ApprovalVerificationActivitiesImpl;
import io.pgrunbooks.activities.secrets.SecretResolver;
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
import io.temporal.worker.Worker;
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
 * Decisions at a gate over HTTP and around it (the Temporal CLI, a client signalling directly), on
 * the real dev server. The run is the workflows module's test-only {@link GatedWorkflow} (one gate,
 * then a step) on a worker in this JVM with the real verification activity and the stack's signing
 * key, started the way {@code POST /api/runs} starts runbooks: the requester in its input and in
 * RequestedBy. Every test checks what the run did (its history's signals, its {@code approvals}
 * query, its result), not only the HTTP answer.
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
    Worker worker = workers.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(GatedWorkflowImpl.class, GatedParentWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new ApprovalVerificationActivitiesImpl(new SecretResolver(() -> null), StackFixture.signingKeyRef(), false));
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
    assertThat(pending.at("/0/reject/temporal").asText()).contains("--workflow-id '" + id + "'", "--name reject");
    assertThat(pending.at("/0/approve/temporal").isNull()).as("an unsigned approval would be refused: not offered").isTrue();

    // The status's curl line, pasted as is but for the comment, with bob's token in the environment.
    String curl = pending.at("/0/approve/curl").asText().replace("<why it is safe now>", "verified the restored copy");
    JsonNode answer = json(shell("export PGRUNBOOKS_TOKEN='" + StackFixture.APPROVER_TOKEN + "'; " + curl));
    assertThat(answer.get("person").asText()).as(answer.toString()).isEqualTo("bob");
    assertThat(answer.at("/gate/open").asBoolean()).as(answer.toString()).isFalse();
    assertThat(answer.at("/gate/decisions/0").asText()).endsWith("approved by bob via api (signed): verified the restored copy");

    JsonNode done = http().get("/api/runs/" + id + "?wait=10", StackFixture.VIEWER_TOKEN).body();
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.at("/result/approved").asBoolean()).isTrue();
    assertThat(done.at("/result/decidedBy").asText()).isEqualTo("bob");
    assertThat(done.get("awaitingApproval")).isEmpty();
    ApprovalDecision signalled = onlySignal(id, "approve");
    assertThat(signalled.person()).isEqualTo("bob");
    assertThat(signalled.digest()).isEqualTo(DIGEST);
    assertThat(signalled.expiresAt()).isNull();
    assertThat(signalled.signature()).as("the API signs what it sends").isNotBlank();
    assertThat(Instant.parse(signalled.signedAt())).isBetween(Instant.now().minusSeconds(60), Instant.now());

    // The audit view reads closed runs too, and a decision on a closed run is a 409.
    JsonNode audit = http().get("/api/approvals/" + id, StackFixture.VIEWER_TOKEN).body();
    assertThat(audit.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(audit.get("requestedBy").asText()).isEqualTo("carol");
    assertThat(audit.at("/gates/0/open").asBoolean()).isFalse();
    assertThat(audit.at("/gates/0/decisions").toString()).contains("approved by bob via api (signed): verified the restored copy");
    assertThat(audit.at("/gates/0/decidedBy").asText()).isEqualTo("bob");
    assertThat(audit.at("/gates/0/via").asText()).isEqualTo("api (signed)");
    assertThat(audit.at("/gates/0/comment").asText()).isEqualTo("verified the restored copy");
    assertThat(Instant.parse(audit.at("/gates/0/decidedAt").asText())).isBefore(Instant.now());
    assertThat(audit.at("/gates/0/step/0").asText()).as("what the step then did").endsWith("did: " + SWAP.action());
    assertThat(audit.get("children")).isEmpty();
    assertProblem(approve(id, StackFixture.APPROVER_TOKEN, DIGEST), 409, "is COMPLETED: no gate waits");
  }

  @Test
  void anApprovalCarriesItsExpiryUnderItsSignature() {
    String id = startGated("carol");
    Http.Response r =
        http().post("/api/approvals/" + id, StackFixture.APPROVER_TOKEN,
            "{\"gateId\":\"swap-databases\",\"decision\":\"approve\",\"digest\":\"" + DIGEST
                + "\",\"comment\":\"ok\",\"expiresInSeconds\":900}");
    assertThat(r.status()).as(r.raw()).isEqualTo(202);
    Instant expiresAt = Instant.parse(onlySignal(id, "approve").expiresAt());
    assertThat(expiresAt).isBetween(Instant.now().plusSeconds(880), Instant.now().plusSeconds(901));
    assertThat(gate(id).get("via").asText()).isEqualTo("api (signed)");
  }

  /** The status's reject command, pasted into a shell with the real Temporal CLI: it counts, as unverified. */
  @Test
  void aRejectionSentWithTheTemporalCliCountsAndIsRecordedAsUnverified() {
    String id = startGated("carol");
    String temporal =
        http().get("/api/runs/" + id, StackFixture.VIEWER_TOKEN).body().at("/awaitingApproval/0/reject/temporal").asText()
            .replace("<your name>", "dave").replace("<why not>", "rejected from the CLI")
            .replaceFirst("^temporal ", "'" + TemporalDevServer.cli() + "' ");
    shell(temporal);
    JsonNode done = http().get("/api/runs/" + id + "?wait=10", StackFixture.VIEWER_TOKEN).body();
    assertThat(done.at("/result/approved").asBoolean()).as(done.toString()).isFalse();
    assertThat(done.at("/result/decidedBy").asText()).isEqualTo("unverified: dave via signal");
    JsonNode gate = gate(id);
    assertThat(gate.get("open").asBoolean()).isFalse();
    assertThat(gate.get("via").asText()).isEqualTo("signal (unverified)");
    assertThat(gate.at("/decisions/0").asText()).endsWith("rejected by dave via signal (unverified): rejected from the CLI");
    assertThat(gate.at("/step/0").asText()).isEqualTo("not done: gate swap-databases rejected by unverified: dave via signal: rejected from the CLI");
  }

  /**
   * The README's CLI approval, naming an approver who never approved: the run refuses it, says how
   * to approve, and keeps it in the audit. Sent with the real Temporal CLI, no API involved.
   */
  @Test
  void anApprovalSentWithTheTemporalCliIsRefusedAndSaysHowToApprove() {
    String id = startGated("carol");
    shell("'" + TemporalDevServer.cli() + "' workflow signal --address " + TemporalDevServer.shared().target()
        + " --namespace default --workflow-id '" + id + "' --name approve --input '{\"gateId\":\"swap-databases\","
        + "\"person\":\"bob\",\"digest\":\"" + DIGEST + "\",\"comment\":\"bob said so\",\"expiresAt\":null}'");
    assertThat(signals(id)).as("the signal reached the run").hasSize(1);
    JsonNode gate = gate(id);
    assertThat(gate.get("open").asBoolean()).as(gate.toString()).isTrue();
    assertThat(gate.at("/decisions/0").asText())
        .contains("refused approve by bob via signal (unverified): unsigned")
        .contains("approve through the API (POST /api/approvals/");
    terminate(id);
  }

  /** As the CLI or the Web UI would, with the Java client: bob's name, and a signature made up or copied. */
  @Test
  void aForgedApprovalNamingAnApproverIsRefusedAndAudited() {
    String id = startGated("carol");
    // Someone who may reject (alice) takes her signed rejection of another run and makes it bob's approval.
    assertThat(reject(id, StackFixture.OPERATOR_TOKEN, "wait").status()).isEqualTo(202);
    ApprovalDecision signedRejection = onlySignal(id, "reject");
    String second = startGated("carol");
    client.newUntypedWorkflowStub(second).signal("approve",
        new ApprovalDecision("swap-databases", "bob", DIGEST, "wait", null, signedRejection.signedAt(), signedRejection.signature()));
    client.newUntypedWorkflowStub(second).signal("approve",
        new ApprovalDecision("swap-databases", "bob", DIGEST, "ok", null, Instant.now().toString(), "00".repeat(32)));
    JsonNode audit = http().get("/api/approvals/" + second, StackFixture.VIEWER_TOKEN).body();
    assertThat(audit.at("/gates/0/open").asBoolean()).as(audit.toString()).isTrue();
    assertThat(audit.at("/gates/0/decisions")).hasSize(2).allSatisfy(d ->
        assertThat(d.asText()).contains("refused approve by bob via signal (unverified): its signature does not verify"));
    // the real approver still can
    assertThat(approve(second, StackFixture.APPROVER_TOKEN, DIGEST).status()).isEqualTo(202);
    assertThat(gate(second).get("decidedBy").asText()).isEqualTo("bob");
  }

  @Test
  void withoutATokenDecisionsAndTheAuditAre401AndNothingReachesTheRun() {
    String id = startGated("carol");
    assertProblem(approve(id, null, DIGEST), 401, "Bearer");
    assertProblem(reject(id, null, "no"), 401, "Bearer");
    assertProblem(approve(id, "not-a-token", DIGEST), 401, "Bearer");
    assertProblem(http().get("/api/approvals/" + id, null), 401, "Bearer");
    assertNothingReachedTheRun(id);
  }

  /** A failure response repairs in a child run: the parent's audit shows the child's gates. */
  @Test
  void theAuditShowsTheGatesOfChildRuns() {
    String parent = "gated-parent/demo/" + UUID.randomUUID();
    WorkflowClient.start(
        client.newWorkflowStub(GatedParentWorkflow.class, options(parent, "carol"))::run, "carol", SWAP);
    String child = parent + "/child";
    for (int i = 0; i < 100 && gateOrNull(child) == null; i++) {
      Processes.sleep(50);
    }
    assertThat(approve(child, StackFixture.APPROVER_TOKEN, DIGEST).status()).isEqualTo(202);
    JsonNode done = http().get("/api/runs/" + parent + "?wait=10", StackFixture.VIEWER_TOKEN).body();
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");

    JsonNode audit = http().get("/api/approvals/" + parent, StackFixture.VIEWER_TOKEN).body();
    assertThat(audit.get("gates")).as(audit.toString()).isEmpty();
    assertThat(audit.get("children")).hasSize(1);
    JsonNode c = audit.at("/children/0");
    assertThat(c.get("workflowId").asText()).isEqualTo(child);
    assertThat(c.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(c.at("/gates/0/decidedBy").asText()).isEqualTo("bob");
    assertThat(c.at("/gates/0/via").asText()).isEqualTo("api (signed)");
    assertThat(c.at("/gates/0/step/0").asText()).endsWith("did: " + SWAP.action());
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
    assertThat(r.body().at("/gate/decisions/0").asText()).endsWith("rejected by alice via api (signed): the restored copy is from the wrong day");

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
    GatedWorkflow run = client.newWorkflowStub(GatedWorkflow.class, options(id, requestedBy));
    WorkflowClient.start(run::run, requestedBy, SWAP);
    for (int i = 0; i < 100 && gateOrNull(id) == null; i++) {
      Processes.sleep(50);
    }
    assertThat(gateOrNull(id)).as("gate of %s open", id).isNotNull();
    return id;
  }

  private static WorkflowOptions options(String id, String requestedBy) {
    return WorkflowOptions.newBuilder()
        .setTaskQueue(QUEUE)
        .setWorkflowId(id)
        .setTypedSearchAttributes(
            SearchAttributes.newBuilder()
                .set(RunbookSearchAttributes.RUNBOOK, "Gated")
                .set(RunbookSearchAttributes.TARGET, "demo")
                .set(RunbookSearchAttributes.REQUESTED_BY, requestedBy)
                .set(RunbookSearchAttributes.AWAITING_APPROVAL, false)
                .build())
        .build();
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
