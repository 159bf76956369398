package io.pgrunbooks.workflows.assessment;

import java.util.List;

/**
 * Result of {@link AssessDatabaseHealthWorkflow}.
 *
 * @param target the target assessed
 * @param requestedBy who asked
 * @param startedAt RFC 3339, UTC
 * @param finishedAt RFC 3339, UTC
 * @param severity Quick Reference severity
 * @param responseTime the response time that severity calls for
 * @param scenario the resolution scenario the findings point to
 * @param reasons why, in words
 * @param checks every check with its status, including those that could not run
 * @param findings the structured results
 */
public record HealthAssessment(
    String target,
    String requestedBy,
    String startedAt,
    String finishedAt,
    Severity severity,
    String responseTime,
    Scenario scenario,
    List<String> reasons,
    List<CheckReport> checks,
    Findings findings) {}
