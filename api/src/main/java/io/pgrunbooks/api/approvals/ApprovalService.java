package io.pgrunbooks.api.approvals;

import io.pgrunbooks.api.errors.Conflict;
import io.pgrunbooks.api.errors.Forbidden;
import io.pgrunbooks.api.security.Roles;
import io.pgrunbooks.api.temporal.Executions;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;

/**
 * Checks a decision against the run before signalling it, so that a mistake gets a clear answer
 * instead of a refusal buried in the run's history, and signs it ({@link DecisionSigner}) so that the
 * run believes the person the token named. The run stays the authority: it checks the same things
 * again when the signal arrives, and verifies the signature (the Temporal CLI and the Web UI reach
 * it without us, unsigned).
 */
@Service
public class ApprovalService {
  private static final Logger log = LoggerFactory.getLogger(ApprovalService.class);

  /** How deep the audit follows child runs (a failure response, its scenario, that one's children). */
  private static final int MAX_CHILD_DEPTH = 3;

  private final WorkflowClient client;
  private final DecisionCommands commands;
  private final DecisionSigner signer;
  private final Clock clock = Clock.systemUTC();

  ApprovalService(WorkflowClient client, DecisionCommands commands, DecisionSigner signer) {
    this.client = client;
    this.commands = commands;
    this.signer = signer;
  }

  ApprovalAudit audit(String workflowId) {
    return audit(workflowId, Executions.describe(client, workflowId), 0);
  }

  /** The run's gates, then its child runs' that have gates (in the order they started). */
  private ApprovalAudit audit(String workflowId, WorkflowExecutionDescription d, int depth) {
    List<ApprovalAudit> children = new ArrayList<>();
    if (depth < MAX_CHILD_DEPTH) {
      for (String child : childIds(workflowId)) {
        WorkflowExecutionDescription cd;
        try {
          cd = client.newUntypedWorkflowStub(child).describe();
        } catch (WorkflowNotFoundException goneByRetention) {
          continue;
        }
        ApprovalAudit a = audit(child, cd, depth + 1);
        if (!a.gates().isEmpty() || !a.children().isEmpty()) {
          children.add(a);
        }
      }
    }
    return new ApprovalAudit(
        workflowId,
        d.getWorkflowType(),
        d.getTypedSearchAttributes().get(RunbookSearchAttributes.REQUESTED_BY),
        Executions.statusName(d.getStatus()),
        GateQuery.gates(client, workflowId).orElse(List.of()),
        children);
  }

  /** The ids of the child runs the run started, from its history. */
  private List<String> childIds(String workflowId) {
    Set<String> ids = new LinkedHashSet<>();
    for (HistoryEvent e : client.fetchHistory(workflowId).getEvents()) {
      if (e.hasChildWorkflowExecutionStartedEventAttributes()) {
        ids.add(e.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution().getWorkflowId());
      }
    }
    return List.copyOf(ids);
  }

  DecisionSent decide(String workflowId, DecisionRequest request, Authentication who) {
    String person = who.getName();
    String verb = request.approve() ? "approve" : "reject";
    if (request.approve() && !Roles.mayApprove(who)) {
      throw new Forbidden("approving needs the approver role, which " + person + " does not have (rejecting does not)");
    }
    WorkflowExecutionDescription d = Executions.describe(client, workflowId);
    if (d.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      throw new Conflict(
          "run '" + workflowId + "' is " + Executions.statusName(d.getStatus()) + ": no gate waits for a decision");
    }
    List<GateView> gates =
        GateQuery.gates(client, workflowId)
            .orElseThrow(() -> new Conflict("run '" + workflowId + "' (" + d.getWorkflowType() + ") has no approval gates"));
    List<GateView> open = gates.stream().filter(GateView::open).toList();
    GateView gate =
        open.stream()
            .filter(g -> g.gateId().equals(request.gateId()))
            .findFirst()
            .orElseThrow(
                () ->
                    new Conflict(
                        "run '" + workflowId + "' has no open gate '" + request.gateId() + "'; open gates: "
                            + open.stream().map(GateView::gateId).toList()));
    if (request.approve()) {
      String requester = d.getTypedSearchAttributes().get(RunbookSearchAttributes.REQUESTED_BY);
      if (samePerson(requester, person)) {
        throw new Forbidden(
            person + " started run '" + workflowId + "' and cannot approve it: another approver must (you may reject it)");
      }
      if (!gate.digest().equals(request.digest())) {
        throw new Conflict(
            "digest " + request.digest() + " is not the digest of gate '" + gate.gateId()
                + "''s description: it changed since you read it, or it was not read. Read it again"
                + " (GET /api/approvals/" + workflowId + ") and approve what it says now");
      }
    }
    String expiresAt =
        request.expiresInSeconds() == null ? null : clock.instant().plusSeconds(request.expiresInSeconds()).toString();
    ApprovalDecision decision =
        signer.sign(
            workflowId, gate.openedAt(), verb,
            new ApprovalDecision(gate.gateId(), person, request.digest(), request.comment(), expiresAt));
    try {
      client.newUntypedWorkflowStub(workflowId).signal(verb, decision);
    } catch (WorkflowNotFoundException closedMeanwhile) {
      throw new Conflict("run '" + workflowId + "' closed before the decision reached it");
    }
    log.info("{} sent {} for gate {} of {}", person, verb, gate.gateId(), workflowId);
    // Queries see every signal accepted before them, so this is the gate after the run's own checks.
    GateView after =
        GateQuery.gates(client, workflowId).orElseThrow().stream()
            .filter(g -> g.gateId().equals(gate.gateId()))
            .reduce((first, last) -> last)
            .orElse(gate);
    return new DecisionSent(workflowId, gate.gateId(), verb, person, expiresAt, after, "/api/approvals/" + workflowId);
  }

  /**
   * The gates a running run waits at, with the commands to decide; for the run's status, so it
   * never fails the status: without an answer from a worker it is empty (the phase still says why).
   */
  public List<PendingGate> pending(WorkflowExecutionDescription d, String workflowId, String apiBase) {
    if (d.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
        || !Boolean.TRUE.equals(d.getTypedSearchAttributes().get(RunbookSearchAttributes.AWAITING_APPROVAL))) {
      return List.of();
    }
    try {
      return GateQuery.gates(client, workflowId).orElse(List.of()).stream()
          .filter(GateView::open)
          .map(g -> commands.pending(apiBase, workflowId, g))
          .toList();
    } catch (RuntimeException e) {
      log.warn("cannot list the open gates of {}: {}", workflowId, e.toString());
      return List.of();
    }
  }

  /** As the run compares them: case and surrounding blanks do not make another person. */
  private static boolean samePerson(String a, String b) {
    return a != null && b != null && a.trim().toLowerCase(Locale.ROOT).equals(b.trim().toLowerCase(Locale.ROOT));
  }
}
