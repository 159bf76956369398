package io.pgrunbooks.api.approvals;

import io.pgrunbooks.workflows.approval.GateView;
import java.util.List;

/**
 * {@code GET /api/approvals/{workflowId}}: every gate of a run and of its child runs, who decided,
 * when, with which comment, by which path, and what the step then did.
 *
 * @param workflowId the run
 * @param runbook its workflow type
 * @param requestedBy who started it (who may not approve it)
 * @param status RUNNING, COMPLETED, FAILED, ...
 * @param gates each gate: its description, digest, opening time, whether it is open, every approve
 *     or reject received (accepted or refused, with why), and once decided: {@code decidedBy},
 *     {@code decidedAt}, {@code comment}, {@code via} ({@code api (signed)}, {@code signal
 *     (unverified)}, {@code signal (namespace trusted)}, {@code timeout}) and {@code step} (what
 *     the run did after an approval, or {@code not done: ...})
 * @param children the child runs that have gates (e.g. a failure response's repair scenario), each
 *     audited the same way
 */
public record ApprovalAudit(
    String workflowId,
    String runbook,
    String requestedBy,
    String status,
    List<GateView> gates,
    List<ApprovalAudit> children) {}
