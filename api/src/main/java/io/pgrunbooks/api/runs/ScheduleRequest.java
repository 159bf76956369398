package io.pgrunbooks.api.runs;

/**
 * Body of {@code POST /api/schedules}.
 *
 * @param cron when, as a cron expression in UTC, e.g. {@code 0 2 * * 0} (the seed's Sundays at 02:00)
 * @param run what each scheduled run starts: the body {@code POST /api/runs} takes
 */
public record ScheduleRequest(String cron, StartRunRequest run) {}
