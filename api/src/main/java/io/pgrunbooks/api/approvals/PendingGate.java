package io.pgrunbooks.api.approvals;

/**
 * A gate a running run waits at, as its status shows it.
 *
 * @param gateId the gate
 * @param description what will happen, to what, and why: what the approver approves
 * @param digest the description's digest, which an approval must carry
 * @param openedAt RFC 3339
 * @param approve how to approve (needs the approver role; never the run's requester)
 * @param reject how to reject (operator or approver; a comment says why)
 */
public record PendingGate(
    String gateId, String description, String digest, String openedAt, DecisionCommand approve, DecisionCommand reject) {}
