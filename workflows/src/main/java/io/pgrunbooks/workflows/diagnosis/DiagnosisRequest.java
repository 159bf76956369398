package io.pgrunbooks.workflows.diagnosis;

/**
 * Input of {@link DiagnoseDatabaseWorkflow}.
 *
 * @param target the configured target to diagnose
 * @param requestedBy who asked (a person or an alert), for the record
 */
public record DiagnosisRequest(String target, String requestedBy) {}
