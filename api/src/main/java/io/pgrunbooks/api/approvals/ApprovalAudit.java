package io.pgrunbooks.api.approvals;

import io.pgrunbooks.workflows.approval.GateView;
import java.util.List;

/**
 * {@code GET /api/approvals/{workflowId}}: every gate of a run and every decision on it.
 *
 * @param workflowId the run
 * @param runbook its workflow type
 * @param requestedBy who started it (who may not approve it)
 * @param status RUNNING, COMPLETED, ...
 * @param gates each gate with its description, digest, opening time, whether it is open, and every
 *     approve or reject received with who, when, the comment, or why it was refused
 */
public record ApprovalAudit(
    String workflowId, String runbook, String requestedBy, String status, List<GateView> gates) {}
