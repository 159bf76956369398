package io.pgrunbooks.workflows.assessment;

/**
 * Input of {@link AssessDatabaseHealthWorkflow}.
 *
 * @param target name of a configured target
 * @param requestedBy the person or tool that asked for the run (recorded, shown in the report)
 */
public record AssessmentRequest(String target, String requestedBy) {}
