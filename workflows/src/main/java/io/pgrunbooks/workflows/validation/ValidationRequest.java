package io.pgrunbooks.workflows.validation;

/**
 * @param target the target to validate
 * @param requestedBy who asked
 */
public record ValidationRequest(String target, String requestedBy) {}
