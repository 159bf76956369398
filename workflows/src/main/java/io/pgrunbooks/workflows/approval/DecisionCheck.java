package io.pgrunbooks.workflows.approval;

/**
 * A decision as the run received it, with what the run itself knows about where it belongs.
 *
 * @param workflowId the run that received it (from the run, not from the signal)
 * @param gateOpenedAt when the gate it decides on opened, RFC 3339 (from the run)
 * @param verb {@code approve} or {@code reject}: the signal's name
 * @param decision the signal's content, signature included
 */
public record DecisionCheck(String workflowId, String gateOpenedAt, String verb, ApprovalDecision decision) {}
