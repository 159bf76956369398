package io.pgrunbooks.api.runs;

import java.util.List;

/**
 * A schedule as the API shows it.
 *
 * @param scheduleId e.g. {@code run-maintenance/demo}
 * @param workflowType the runbook's workflow type
 * @param cron the cron expressions, or "every N s" for an interval
 * @param nextRuns the next start times, RFC 3339
 * @param paused whether it is paused
 * @param note who created it
 */
public record ScheduleView(String scheduleId, String workflowType, List<String> cron, List<String> nextRuns, boolean paused, String note) {}
