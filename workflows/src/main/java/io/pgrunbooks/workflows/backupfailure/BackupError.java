package io.pgrunbooks.workflows.backupfailure;

/**
 * One error a backup run reported.
 *
 * @param source where it was seen: {@code temporal:<workflow id>} or {@code kubernetes:<job name>}
 * @param errorType the backup activity's failure type (e.g. {@code DatabaseUnreachable},
 *     {@code StorageAccessDenied}); null for a log line, which only has its text
 * @param message the error's text
 */
public record BackupError(String source, String errorType, String message) {}
