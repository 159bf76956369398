package io.pgrunbooks.api.approvals;

import io.pgrunbooks.workflows.approval.GateView;

/**
 * The 202 answer to a decision: the signal was sent; the gate as the run saw it afterwards.
 *
 * @param workflowId the run
 * @param gateId the gate
 * @param decision approve or reject
 * @param person the caller, as the token names them
 * @param expiresAt RFC 3339, when the approval lapses unless the run has taken it (null: never)
 * @param gate the gate after the run handled the signal: closed when it accepted the decision, or
 *     still open with the run's reason for refusing it in its decisions
 * @param auditUrl every decision on the run's gates
 */
public record DecisionSent(
    String workflowId, String gateId, String decision, String person, String expiresAt, GateView gate, String auditUrl) {}
