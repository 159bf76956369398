package io.pgrunbooks.workflows.approval;

/**
 * What an escalation tells people.
 *
 * @param workflowId the waiting run
 * @param gateId the gate
 * @param description what waits for approval
 * @param waitedSeconds how long it has waited
 * @param onTimeout what the run does next
 */
public record EscalationNotice(
    String workflowId, String gateId, String description, long waitedSeconds, OnTimeout onTimeout) {}
