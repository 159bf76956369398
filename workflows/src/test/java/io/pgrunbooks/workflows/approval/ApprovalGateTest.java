package io.pgrunbooks.workflows.approval;

import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.withSettings;

class ApprovalGateTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(GatedWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private final EscalationActivities escalation = mock(EscalationActivities.class, withSettings().withoutAnnotations());
  private final Policy policy = new Policy();

  /** The worker's verifier with the tests' key; trusts the namespace unless a test says otherwise. */
  static final class Policy implements ApprovalVerificationActivities {
    volatile boolean trustNamespace = true;

    @Override
    public DecisionVerdict verifyApprovalDecision(DecisionCheck check) {
      return new ApprovalVerifier(TestApprovals.KEY, trustNamespace).verifyApprovalDecision(check);
    }
  }

  private static final GateRequest SCALE_DOWN =
      new GateRequest(
          "scale-down", "scale api-gateway 3 -> 0, user-svc 2 -> 0 in link-services", "target link",
          "the restore must not race the applications' writes", Duration.ofHours(2), OnTimeout.KEEP_WAITING);

  @BeforeEach
  void worker(TestWorkflowEnvironment env, Worker worker) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    worker.registerActivitiesImplementations(escalation, policy);
    env.start();
  }

  private static GatedWorkflow start(WorkflowClient client, Worker worker, GateRequest request) {
    GatedWorkflow wf =
        client.newWorkflowStub(GatedWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());
    WorkflowClient.start(wf::run, "alice", request);
    return wf;
  }

  private static String digest() {
    return ApprovalGate.digest(SCALE_DOWN.description());
  }

  private static GateOutcome result(GatedWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(GateOutcome.class);
  }

  @Test
  void anotherPersonApprovesWhatTheySaw(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    GatedWorkflow wf = start(client, worker, SCALE_DOWN);
    env.sleep(Duration.ofMinutes(5));
    assertThat(wf.approvals()).singleElement().satisfies(g -> {
      assertThat(g.open()).isTrue();
      assertThat(g.description()).contains("scale api-gateway 3 -> 0").contains("why: the restore");
    });
    wf.approve(new ApprovalDecision("scale-down", "bob", digest(), "checked with the app owners", null));
    GateOutcome outcome = result(wf);
    assertThat(outcome.approved()).isTrue();
    assertThat(outcome.decidedBy()).isEqualTo("bob");
    assertThat(outcome.comment()).isEqualTo("checked with the app owners");
    verify(escalation, never()).escalate(any());
  }

  /** Once decided, the Web UI shows the step the run was in before the gate, not the gate. */
  @Test
  void closingTheGateBringsBackThePhaseAndDetailsOfTheStep(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    GatedWorkflow wf = start(client, worker, SCALE_DOWN);
    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    env.sleep(Duration.ofMinutes(1));
    assertThat(stub.describe().getTypedSearchAttributes().get(RunbookSearchAttributes.PHASE)).isEqualTo("awaiting-approval");
    assertThat(CurrentDetails.of(stub)).contains("Waiting for approval", "\"decision\":\"approve\"", "--name reject")
        .as("an unsigned approval is refused, so the CLI approve is not offered").doesNotContain("--name approve");
    wf.approve(new ApprovalDecision("scale-down", "bob", digest(), null, null));
    result(wf);
    assertThat(stub.describe().getTypedSearchAttributes().get(RunbookSearchAttributes.AWAITING_APPROVAL)).isFalse();
    // The phases as the run upserted them: the gate closed back into "prepare" before the step went on ("done").
    List<String> phases = client.fetchHistory(stub.getExecution().getWorkflowId()).getEvents().stream()
        .filter(HistoryEvent::hasUpsertWorkflowSearchAttributesEventAttributes)
        .map(e -> e.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes().getIndexedFieldsMap()
            .get(RunbookSearchAttributes.PHASE.getName()))
        .filter(java.util.Objects::nonNull)
        .map(p -> DefaultDataConverter.STANDARD_INSTANCE.fromPayload(p, String.class, String.class))
        .toList();
    assertThat(phases).containsSubsequence("prepare", "awaiting-approval", "prepare", "done");
  }

  @Test
  void theRequesterCannotApproveTheirOwnRunButAnotherPersonCan(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    GatedWorkflow wf = start(client, worker, SCALE_DOWN);
    wf.approve(new ApprovalDecision("scale-down", "Alice", digest(), "lgtm", null));
    env.sleep(Duration.ofMinutes(1));
    assertThat(wf.approvals().get(0).open()).isTrue();
    assertThat(wf.approvals().get(0).decisions()).singleElement().asString().contains("cannot approve");
    wf.approve(new ApprovalDecision("scale-down", "bob", digest(), null, null));
    assertThat(result(wf).decidedBy()).isEqualTo("bob");
  }

  /** A signal may overtake the run (e.g. sent with the Temporal CLI as it starts): judged when its gate opens. */
  @Test
  void decisionsSentBeforeTheGateOpensAreJudgedWhenItOpens(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    GatedWorkflow wf =
        client.newWorkflowStub(GatedWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());
    io.temporal.client.BatchRequest batch = client.newSignalWithStartRequest();
    batch.add(wf::run, "alice", SCALE_DOWN);
    batch.add(wf::approve, new ApprovalDecision("scale-down", "alice", digest(), "mine", null));
    client.signalWithStart(batch);
    env.sleep(Duration.ofMinutes(1));
    assertThat(wf.approvals()).singleElement().satisfies(g -> {
      assertThat(g.open()).as("the requester's own approval does not count").isTrue();
      assertThat(g.decisions()).singleElement().asString().contains("refused approve by alice").contains("cannot approve");
    });
    wf.approve(new ApprovalDecision("scale-down", "bob", digest(), null, null));
    assertThat(result(wf).decidedBy()).isEqualTo("bob");
  }

  @Test
  void anApprovalForAnotherDescriptionIsRefused(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    GatedWorkflow wf = start(client, worker, SCALE_DOWN);
    wf.approve(new ApprovalDecision("scale-down", "bob", ApprovalGate.digest("scale api-gateway 3 -> 0"), null, null));
    env.sleep(Duration.ofMinutes(1));
    assertThat(wf.approvals().get(0).open()).isTrue();
    assertThat(wf.approvals().get(0).decisions().get(0)).contains("the plan changed");
    wf.reject(new ApprovalDecision("scale-down", "bob", null, "not during business hours", null));
    GateOutcome outcome = result(wf);
    assertThat(outcome.approved()).isFalse();
    assertThat(outcome.comment()).isEqualTo("not during business hours");
  }

  @Test
  void anExpiredApprovalIsRefused(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    GatedWorkflow wf = start(client, worker, SCALE_DOWN);
    env.sleep(Duration.ofMinutes(1));
    String past = Instant.ofEpochMilli(env.currentTimeMillis()).minusSeconds(30).toString();
    wf.approve(new ApprovalDecision("scale-down", "bob", digest(), null, past));
    env.sleep(Duration.ofMinutes(1));
    assertThat(wf.approvals().get(0).decisions().get(0)).contains("expired");
    assertThat(wf.approvals().get(0).open()).isTrue();
    wf.reject(new ApprovalDecision("scale-down", "alice", null, "cancelling my own run", null));
    assertThat(result(wf).approved()).isFalse();
  }

  @Test
  void aGateThatWaitsTooLongEscalatesAndKeepsWaiting(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    GatedWorkflow wf = start(client, worker, SCALE_DOWN);
    env.sleep(Duration.ofHours(5)); // two escalations at 2 h and 4 h
    verify(escalation, times(2)).escalate(any());
    wf.approve(new ApprovalDecision("scale-down", "bob", digest(), null, null));
    assertThat(result(wf).approved()).isTrue();
  }

  @Test
  void aGateWhosePolicyIsAbortEndsRejectedAfterEscalating(WorkflowClient client, Worker worker) {
    GateRequest abort =
        new GateRequest("swap", "rename link_users to link_users_pre_restore", "target link", "swap", Duration.ofHours(2), OnTimeout.ABORT);
    GatedWorkflow wf = start(client, worker, abort);
    GateOutcome outcome = result(wf);
    assertThat(outcome.approved()).isFalse();
    assertThat(outcome.decidedBy()).isEqualTo("timeout");
    assertThat(outcome.comment()).contains("nothing was changed");
    verify(escalation, times(1)).escalate(any());
  }

  // Identity on each path: the API signs; the Temporal CLI and the Web UI send plain signals.

  @Test
  void anApprovalSignedByTheApiCountsAndTheAuditShowsThePathAndWhatTheStepDid(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    policy.trustNamespace = false;
    GatedWorkflow wf = start(client, worker, SCALE_DOWN);
    GateView open = openGate(env, wf);
    wf.approve(signed(wf, open, "approve", new ApprovalDecision("scale-down", "bob", digest(), "app owners agreed", null)));
    GateOutcome outcome = result(wf);
    assertThat(outcome.approved()).isTrue();
    assertThat(outcome.decidedBy()).isEqualTo("bob");
    GateView audit = wf.approvals().get(0);
    assertThat(audit.via()).isEqualTo("api (signed)");
    assertThat(audit.decidedBy()).isEqualTo("bob");
    assertThat(audit.comment()).isEqualTo("app owners agreed");
    assertThat(audit.decidedAt()).isNotNull();
    assertThat(audit.decisions()).singleElement().asString().endsWith("approved by bob via api (signed): app owners agreed");
    assertThat(audit.step()).singleElement().asString().endsWith("did: " + SCALE_DOWN.action());
  }

  /** As `temporal workflow signal --name approve` or the Web UI's signal button send it: no signature. */
  @Test
  void anUnsignedApprovalIsRefusedWithHowToApproveAndTheGateStaysOpen(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    GatedWorkflow wf = waiting(env, client, worker, false);
    WorkflowStub.fromTyped(wf).signal("approve", new ApprovalDecision("scale-down", "bob", digest(), "from the CLI", null));
    env.sleep(Duration.ofMinutes(1));
    GateView gate = wf.approvals().get(0);
    assertThat(gate.open()).isTrue();
    assertThat(gate.decisions()).singleElement().asString()
        .contains("refused approve by bob via signal (unverified): unsigned")
        .contains("'bob' is only a claim")
        .contains("approve through the API (POST /api/approvals/");
    assertThat(gate.step()).isEmpty();
    wf.approve(signed(wf, gate, "approve", new ApprovalDecision("scale-down", "bob", digest(), null, null)));
    assertThat(result(wf).decidedBy()).isEqualTo("bob");
  }

  @Test
  void aForgedApprovalNamingSomeoneElseIsRefusedAndKeptInTheAudit(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    policy.trustNamespace = true; // even then: a signature that does not verify is refused
    GatedWorkflow wf = start(client, worker, SCALE_DOWN);
    GateView gate = openGate(env, wf);
    // mallory had the API sign her own rejection, then put bob's name and "approve" on it.
    ApprovalDecision hers = signed(wf, gate, "reject", new ApprovalDecision("scale-down", "mallory", digest(), "x", null));
    wf.approve(new ApprovalDecision("scale-down", "bob", digest(), "x", null, hers.signedAt(), hers.signature()));
    // and a signature made with another key
    wf.approve(
        TestApprovals.sign(
            "not-the-api-key-0123456789abcdef0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            WorkflowStub.fromTyped(wf).getExecution().getWorkflowId(), gate, "approve",
            new ApprovalDecision("scale-down", "bob", digest(), "y", null), "2026-01-01T00:00:00Z"));
    env.sleep(Duration.ofMinutes(1));
    GateView after = wf.approvals().get(0);
    assertThat(after.open()).isTrue();
    assertThat(after.decisions()).hasSize(2).allSatisfy(d ->
        assertThat(d).contains("refused approve by bob via signal (unverified): its signature does not verify"));
    wf.reject(new ApprovalDecision("scale-down", "carol", null, "someone forges approvals", null));
    assertThat(result(wf).approved()).isFalse();
  }

  @Test
  void aSignatureForAnotherRunDoesNotVerify(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    policy.trustNamespace = false;
    GatedWorkflow first = start(client, worker, SCALE_DOWN);
    GatedWorkflow second = start(client, worker, SCALE_DOWN);
    GateView gate = openGate(env, first);
    openGate(env, second);
    second.approve(signed(first, gate, "approve", new ApprovalDecision("scale-down", "bob", digest(), null, null)));
    env.sleep(Duration.ofMinutes(1));
    assertThat(second.approvals().get(0).open()).isTrue();
    assertThat(second.approvals().get(0).decisions().get(0)).contains("does not verify");
    WorkflowStub.fromTyped(first).terminate("test over");
    WorkflowStub.fromTyped(second).terminate("test over");
  }

  @Test
  void anUnsignedRejectionCountsButIsRecordedAsUnverified(TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    GatedWorkflow wf = waiting(env, client, worker, false);
    WorkflowStub.fromTyped(wf).signal("reject", new ApprovalDecision("scale-down", "carol", null, "not now", null));
    GateOutcome outcome = result(wf);
    assertThat(outcome.approved()).isFalse();
    assertThat(outcome.decidedBy()).isEqualTo("unverified: carol via signal");
    GateView audit = wf.approvals().get(0);
    assertThat(audit.via()).isEqualTo("signal (unverified)");
    assertThat(audit.decisions()).singleElement().asString().endsWith("rejected by carol via signal (unverified): not now");
    assertThat(audit.step()).containsExactly("not done: gate scale-down rejected by unverified: carol via signal: not now");
  }

  @Test
  void workersThatTrustTheNamespaceTakeAnUnsignedApprovalForThePersonItNames(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    GatedWorkflow wf = waiting(env, client, worker, true);
    wf.approve(new ApprovalDecision("scale-down", "bob", digest(), "ok", null));
    assertThat(result(wf).decidedBy()).isEqualTo("bob");
    assertThat(wf.approvals().get(0).via()).isEqualTo("signal (namespace trusted)");
  }

  @Test
  void aTimedOutGatesStepIsNotDone(WorkflowClient client, Worker worker) {
    GateRequest abort =
        new GateRequest("swap", "rename link_users to link_users_pre_restore", "target link", "swap", Duration.ofHours(2), OnTimeout.ABORT);
    GatedWorkflow wf = start(client, worker, abort);
    result(wf);
    GateView audit = wf.approvals().get(0);
    assertThat(audit.via()).isEqualTo("timeout");
    assertThat(audit.decidedBy()).isEqualTo("timeout");
    assertThat(audit.step()).containsExactly("not done: no decision within 7200 s, nothing was changed");
  }

  /** A run at its open gate, with workers that trust the namespace or not. */
  private GatedWorkflow waiting(TestWorkflowEnvironment env, WorkflowClient client, Worker worker, boolean trustNamespace) {
    policy.trustNamespace = trustNamespace;
    GatedWorkflow wf = start(client, worker, SCALE_DOWN);
    openGate(env, wf);
    return wf;
  }

  private static GateView openGate(TestWorkflowEnvironment env, GatedWorkflow wf) {
    env.sleep(Duration.ofSeconds(1));
    assertThat(wf.approvals()).singleElement().satisfies(g -> assertThat(g.open()).isTrue());
    return wf.approvals().get(0);
  }

  /** As the API signs: for this run and this opening of the gate. */
  private static ApprovalDecision signed(GatedWorkflow wf, GateView gate, String verb, ApprovalDecision d) {
    return TestApprovals.sign(
        TestApprovals.KEY, WorkflowStub.fromTyped(wf).getExecution().getWorkflowId(), gate, verb, d, "2026-01-01T00:00:00Z");
  }
}
