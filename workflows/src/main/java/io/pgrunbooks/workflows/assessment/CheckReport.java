package io.pgrunbooks.workflows.assessment;

/**
 * One line of the assessment's checklist: every check appears, including those that could not run.
 *
 * @param check the check's name, e.g. "connection usage"
 * @param status how it went
 * @param summary one sentence for a person
 */
public record CheckReport(String check, CheckStatus status, String summary) {}
