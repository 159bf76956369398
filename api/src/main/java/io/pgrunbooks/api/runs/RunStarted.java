package io.pgrunbooks.api.runs;

/**
 * Answer to {@code POST /api/runs}.
 *
 * @param workflowId the run's id, e.g. {@code assess-database-health/demo/20261122-101500}
 * @param runId Temporal's run id
 * @param runbook the runbook
 * @param target the target
 * @param requestedBy who started it
 * @param statusUrl where to follow it over the API
 * @param webUiUrl where to follow it in the Temporal Web UI
 */
public record RunStarted(
    String workflowId,
    String runId,
    String runbook,
    String target,
    String requestedBy,
    String statusUrl,
    String webUiUrl) {}
