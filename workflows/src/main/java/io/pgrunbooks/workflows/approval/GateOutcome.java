package io.pgrunbooks.workflows.approval;

/**
 * How a gate ended.
 *
 * @param gateId the gate
 * @param approved whether the step may go ahead
 * @param decidedBy the person, or {@code timeout}
 * @param comment the person's comment, or why the gate aborted
 * @param decidedAt RFC 3339
 */
public record GateOutcome(String gateId, boolean approved, String decidedBy, String comment, String decidedAt) {}
