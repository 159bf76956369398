package io.pgrunbooks.api.runs;

/**
 * Body of {@code POST /api/runs}.
 *
 * @param runbook a name from {@code GET /api/runbooks}, e.g. {@code assess-database-health}
 * @param target a name from {@code GET /api/targets}
 */
public record StartRunRequest(String runbook, String target) {}
