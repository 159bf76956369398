package io.pgrunbooks.workflows.approval;

import io.pgrunbooks.workflows.common.RunProgress;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowLocal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The gate, as workflow code uses it: {@code await} opens a gate and returns when a person decided
 * (or the gate aborted after escalating); the workflow's signal methods hand decisions to {@link
 * #approve} and {@link #reject}. Deterministic: time from {@code Workflow}, digests are SHA-256 of
 * the description. Every decision, accepted or refused, is kept and queryable.
 *
 * <p>Who decided: a signal's {@code person} is only what its sender wrote, and a signal can be sent
 * around the API (Temporal CLI, Web UI). So each decision is checked by {@link
 * ApprovalVerificationActivities} (a local activity: the worker holds the API's signing key, the
 * history keeps only the verdict): an approval counts only when the API's signature verifies, or
 * when the workers are configured to trust the Temporal namespace's authorization; a rejection
 * always counts (it only stops a change), recorded as unverified when nothing vouches for its
 * person. Runs that started before this check replay without it ({@link #IDENTITY_CHANGE}).
 *
 * <p>What the step did: after an approval, every phase the run enters ({@link
 * io.pgrunbooks.workflows.common.RunProgress}) until the next gate opens is appended to the gate's
 * record, so the audit shows the action taken and its result; a rejected or timed-out gate's step
 * is "not done".
 */
public final class ApprovalGate {
  private static final ActivityOptions ESCALATION =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
          .build();

  /**
   * Local: a verdict takes milliseconds (an HMAC, a key from a file or environment variable, at most
   * a Kubernetes Secret read); three tries, then the decision is refused as unverifiable.
   */
  private static final LocalActivityOptions VERIFICATION =
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
          .build();

  /** The {@code getVersion} change id of identity verification: runs recorded before it decide as they did. */
  static final String IDENTITY_CHANGE = "approval-identity-verification";

  /** Steps kept per gate: enough for a step and its re-checks, bounded for the query's size. */
  static final int MAX_STEP_ENTRIES = 20;

  /** The run's gate, for {@link #stepProgress}: one per run (GatedRun holds it). */
  private static final WorkflowLocal<ApprovalGate> RUN_GATE = WorkflowLocal.withCachedInitial(() -> null);

  private String requestedBy;
  private final EscalationActivities escalation =
      Workflow.newActivityStub(EscalationActivities.class, ESCALATION);
  private final ApprovalVerificationActivities verification =
      Workflow.newLocalActivityStub(ApprovalVerificationActivities.class, VERIFICATION);
  private final List<Gate> gates = new ArrayList<>();
  private final List<Early> early = new ArrayList<>();

  /** A decision for a gate that had not opened when it arrived. */
  private record Early(ApprovalDecision decision, boolean approve) {}

  private static final class Gate {
    final GateRequest request;
    final String digest;
    final String openedAt;
    final List<String> decisions = new ArrayList<>();
    final List<String> step = new ArrayList<>();
    GateOutcome outcome;
    String via;

    Gate(GateRequest request, String digest, String openedAt) {
      this.request = request;
      this.digest = digest;
      this.openedAt = openedAt;
    }
  }

  public ApprovalGate() {
    RUN_GATE.set(this);
  }

  /**
   * Records a phase the run entered in the audit of the gate approved last, until the next gate
   * opens: what its step did. Called by RunProgress; does nothing in runs without a gate.
   */
  public static void stepProgress(String details) {
    ApprovalGate gate = RUN_GATE.get();
    if (gate != null && !gate.gates.isEmpty()) {
      Gate last = gate.gates.get(gate.gates.size() - 1);
      if (last.outcome != null && last.outcome.approved() && last.step.size() < MAX_STEP_ENTRIES) {
        last.step.add(now() + " " + details);
      }
    }
  }

  /**
   * Who started the run: they may reject, never approve. Set it first thing in the workflow method;
   * the gate itself is a field, so that signals that arrive early find it.
   */
  public void requestedBy(String person) {
    this.requestedBy = person;
  }

  /** SHA-256 of a description, hex: what an approval must carry. */
  public static String digest(String description) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(description.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Opens the gate and waits for a decision; escalates each time the timeout passes. */
  public GateOutcome await(GateRequest request) {
    Gate gate = new Gate(request, digest(request.description()), now());
    gates.add(gate);
    // Decisions sent before this gate opened (a signal may overtake the run): judged now, in order.
    List<Early> mine = early.stream().filter(e -> e.decision().gateId().equals(request.gateId())).toList();
    early.removeAll(mine);
    mine.forEach(e -> decide(e.decision(), e.approve()));
    // What the run was doing, for when the gate closes (the Web UI then shows that phase again).
    String phaseBefore = Workflow.getTypedSearchAttributes().get(RunbookSearchAttributes.PHASE);
    String detailsBefore = Workflow.getCurrentDetails();
    Workflow.upsertTypedSearchAttributes(RunbookSearchAttributes.AWAITING_APPROVAL.valueSet(true));
    RunProgress.enter("awaiting-approval", waitingDetails(request, gate));
    long waited = 0;
    while (!Workflow.await(request.timeout(), () -> gate.outcome != null)) {
      waited += request.timeout().toSeconds();
      escalation.escalate(
          new EscalationNotice(
              Workflow.getInfo().getWorkflowId(), request.gateId(), request.description(), waited, request.onTimeout()));
      if (request.onTimeout() == OnTimeout.ABORT) {
        gate.outcome =
            new GateOutcome(
                request.gateId(), false, "timeout",
                "no decision within " + waited + " s; nothing was changed", now());
        gate.decisions.add(now() + " aborted: no decision within " + waited + " s");
        gate.via = "timeout";
        gate.step.add("not done: no decision within " + waited + " s, nothing was changed");
      }
    }
    // One upsert, as before the phase was restored here: replay sees the same commands.
    Workflow.upsertTypedSearchAttributes(
        RunbookSearchAttributes.AWAITING_APPROVAL.valueSet(false),
        phaseBefore == null ? RunbookSearchAttributes.PHASE.valueUnset() : RunbookSearchAttributes.PHASE.valueSet(phaseBefore));
    Workflow.setCurrentDetails(detailsBefore);
    return gate.outcome;
  }

  /**
   * The run's current details while a gate is open (Markdown, which the Web UI renders): what the
   * step will do, to what and why, the digest an approval must carry, and the commands that approve
   * or reject it, through the API and with the Temporal CLI. The API's address is the placeholder
   * {@link DecisionCommandLines#API}: workflow code reads no configuration.
   */
  private static String waitingDetails(GateRequest request, Gate gate) {
    String id = Workflow.getInfo().getWorkflowId();
    String namespace = Workflow.getInfo().getNamespace();
    return "**Waiting for approval** at gate `" + request.gateId() + "` (opened " + gate.openedAt + ")\n\n"
        + "- **Action:** " + request.action() + "\n"
        + "- **On:** " + request.target() + "\n"
        + "- **Why:** " + request.why() + "\n"
        + "- **Digest:** `" + gate.digest + "` (an approval must carry it)\n\n"
        + "Approve or reject through the API, as the person your token names"
        + " (set PGRUNBOOKS_API to the API's base URL and PGRUNBOOKS_TOKEN to your token):\n\n"
        + "```\n"
        + DecisionCommandLines.curl(DecisionCommandLines.API, id, request.gateId(), gate.digest, true) + "\n"
        + DecisionCommandLines.curl(DecisionCommandLines.API, id, request.gateId(), gate.digest, false) + "\n"
        + "```\n\n"
        + "Or reject with the Temporal CLI (write your name in). An approval sent this way carries no proof of who"
        + " sent it: the run refuses it unless the workers trust the namespace's own authorization"
        + " (pgrunbooks.approvals.trust-namespace); approve through the API.\n\n"
        + "```\n"
        + DecisionCommandLines.temporal(null, namespace, id, request.gateId(), gate.digest, false) + "\n"
        + "```";
  }

  public void approve(ApprovalDecision decision) {
    decide(decision, true);
  }

  public void reject(ApprovalDecision decision) {
    decide(decision, false);
  }

  public List<GateView> views() {
    return gates.stream()
        .map(
            g ->
                new GateView(
                    g.request.gateId(), g.request.description(), g.digest, g.openedAt, g.outcome == null,
                    List.copyOf(g.decisions), g.outcome == null ? null : g.outcome.decidedBy(),
                    g.outcome == null ? null : g.outcome.decidedAt(), g.outcome == null ? null : g.outcome.comment(),
                    g.via, List.copyOf(g.step)))
        .toList();
  }

  private void decide(ApprovalDecision d, boolean approve) {
    Gate gate =
        gates.stream().filter(g -> g.outcome == null && g.request.gateId().equals(d.gateId())).findFirst().orElse(null);
    String verb = approve ? "approve" : "reject";
    if (gate == null) {
      if (gates.stream().noneMatch(g -> g.request.gateId().equals(d.gateId()))) {
        early.add(new Early(d, approve)); // not opened yet: kept for when it opens
        return;
      }
      if (!gates.isEmpty()) {
        gates.get(gates.size() - 1).decisions.add(now() + " refused " + verb + " by " + d.person() + ": no open gate '" + d.gateId() + "'");
      }
      return;
    }
    String refusal = refusal(gate, d, approve);
    if (refusal != null) {
      gate.decisions.add(now() + " refused " + verb + " by " + d.person() + ": " + refusal);
      return;
    }
    String decidedBy = d.person();
    String via = "signal (not checked: run started before identity verification)";
    if (Workflow.getVersion(IDENTITY_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
      DecisionVerdict verdict = verify(gate, d, verb);
      if (gate.outcome != null) { // decided or timed out while the verdict was coming
        gate.decisions.add(now() + " refused " + verb + " by " + d.person() + ": the gate was already closed");
        return;
      }
      if (approve && !verdict.mayApprove()) {
        gate.decisions.add(now() + " refused approve by " + d.person() + " via " + verdict.via() + ": " + verdict.reason());
        return;
      }
      via = verdict.via();
      if (!verdict.mayApprove()) {
        decidedBy = "unverified: " + d.person() + " via signal";
      }
    }
    gate.outcome = new GateOutcome(gate.request.gateId(), approve, decidedBy, d.comment(), now());
    gate.via = via;
    gate.decisions.add(
        now() + " " + (approve ? "approved" : "rejected") + " by " + d.person() + " via " + via
            + (d.comment() == null ? "" : ": " + d.comment()));
    if (!approve) {
      gate.step.add("not done: " + gate.outcome.refusal().replace("; its step and the ones after it were not done", ""));
    }
  }

  /** The worker's verdict on the person; a verification that fails is an unverified person. */
  private DecisionVerdict verify(Gate gate, ApprovalDecision d, String verb) {
    try {
      return verification.verifyApprovalDecision(
          new DecisionCheck(Workflow.getInfo().getWorkflowId(), gate.openedAt, verb, d));
    } catch (ActivityFailure e) {
      String why = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
      return new DecisionVerdict(DecisionVerdict.Trust.UNVERIFIED, "the worker could not verify it: " + why);
    }
  }

  /** Why a decision cannot be taken, or null when it can. */
  private String refusal(Gate gate, ApprovalDecision d, boolean approve) {
    if (d.person() == null || d.person().isBlank()) {
      return "a decision must name the person";
    }
    if (!approve) {
      return null; // anyone allowed to decide, the requester included, may stop a destructive step
    }
    if (d.person().trim().toLowerCase(Locale.ROOT).equals(requestedBy == null ? "" : requestedBy.trim().toLowerCase(Locale.ROOT))) {
      return "the person who started the run cannot approve it";
    }
    if (!gate.digest.equals(d.digest())) {
      return "the approval is for digest " + d.digest() + " but the gate now says " + gate.digest + " (the plan changed: read it again)";
    }
    if (d.expiresAt() != null) {
      try {
        if (Instant.parse(d.expiresAt()).toEpochMilli() < Workflow.currentTimeMillis()) {
          return "the approval expired at " + d.expiresAt();
        }
      } catch (DateTimeParseException e) {
        return "expiresAt is not an RFC 3339 time: " + d.expiresAt();
      }
    }
    return null;
  }

  private static String now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
  }
}
