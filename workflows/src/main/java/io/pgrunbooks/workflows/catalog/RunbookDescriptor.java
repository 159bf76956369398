package io.pgrunbooks.workflows.catalog;

import java.util.List;

/**
 * One runbook on offer.
 *
 * @param name the name used over REST and in workflow ids, e.g. {@code assess-database-health}
 * @param workflowType the Temporal workflow type, e.g. {@code AssessDatabaseHealth}
 * @param title one line for a person
 * @param seedSection the runbook section it carries out
 * @param destructiveSteps steps that wait for an approval ({@code []} when read-only)
 */
public record RunbookDescriptor(
    String name, String workflowType, String title, String seedSection, List<String> destructiveSteps) {}
