package io.pgrunbooks.workflows.backupfailure;

/**
 * An error with its class and the pattern that decided it.
 *
 * @param failureClass the class
 * @param evidence the failure type or text pattern that matched (for UNKNOWN: "no pattern")
 * @param error the error
 */
public record ClassifiedError(FailureClass failureClass, String evidence, BackupError error) {}
