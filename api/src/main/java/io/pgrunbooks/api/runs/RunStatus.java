package io.pgrunbooks.api.runs;

import io.pgrunbooks.api.approvals.PendingGate;
import java.util.List;

/**
 * A run as {@code GET /api/runs/{id}} shows it.
 *
 * @param workflowId the run's id
 * @param runbook workflow type
 * @param target the target
 * @param requestedBy who started it
 * @param status RUNNING, COMPLETED, FAILED, CANCELED, TERMINATED, TIMED_OUT, CONTINUED_AS_NEW
 * @param phase the step it is in (or ended in)
 * @param summary the static summary set at start
 * @param startedAt RFC 3339
 * @param closedAt RFC 3339, null while running
 * @param result the workflow's result when completed
 * @param failure why it failed, when it failed
 * @param webUiUrl where to see it in the Temporal Web UI
 * @param progress what is running now: activities of the run and of its running children, with
 *     their attempt and last heartbeat (e.g. bytes dumped and uploaded); empty when idle or done
 * @param awaitingApproval the gates the run waits at: what each would do, its digest, and the exact
 *     curl and temporal commands to approve or reject it; empty when no person is awaited (and in
 *     listings)
 */
public record RunStatus(
    String workflowId,
    String runbook,
    String target,
    String requestedBy,
    String status,
    String phase,
    String summary,
    String startedAt,
    String closedAt,
    Object result,
    String failure,
    String webUiUrl,
    List<ActivityProgress> progress,
    List<PendingGate> awaitingApproval) {}
