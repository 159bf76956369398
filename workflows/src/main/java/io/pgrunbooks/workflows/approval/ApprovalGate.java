package io.pgrunbooks.workflows.approval;

import io.pgrunbooks.workflows.common.RunProgress;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
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
 */
public final class ApprovalGate {
  private static final ActivityOptions ESCALATION =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
          .build();

  private String requestedBy;
  private final EscalationActivities escalation =
      Workflow.newActivityStub(EscalationActivities.class, ESCALATION);
  private final List<Gate> gates = new ArrayList<>();
  private final List<Early> early = new ArrayList<>();

  /** A decision for a gate that had not opened when it arrived. */
  private record Early(ApprovalDecision decision, boolean approve) {}

  private static final class Gate {
    final GateRequest request;
    final String digest;
    final String openedAt;
    final List<String> decisions = new ArrayList<>();
    GateOutcome outcome;

    Gate(GateRequest request, String digest, String openedAt) {
      this.request = request;
      this.digest = digest;
      this.openedAt = openedAt;
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
        + "Or signal the run with the Temporal CLI (write your name in; the run refuses an approval by its requester):\n\n"
        + "```\n"
        + DecisionCommandLines.temporal(null, namespace, id, request.gateId(), gate.digest, true) + "\n"
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
        .map(g -> new GateView(g.request.gateId(), g.request.description(), g.digest, g.openedAt, g.outcome == null, List.copyOf(g.decisions)))
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
    gate.outcome = new GateOutcome(gate.request.gateId(), approve, d.person(), d.comment(), now());
    gate.decisions.add(now() + " " + (approve ? "approved" : "rejected") + " by " + d.person() + (d.comment() == null ? "" : ": " + d.comment()));
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
