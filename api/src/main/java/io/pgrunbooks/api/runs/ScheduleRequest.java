package io.pgrunbooks.api.runs;

/**
 * Body of {@code POST /api/schedules}, and an entry of {@code pgrunbooks.schedules[]}.
 *
 * @param cron when, as a cron expression in UTC, e.g. {@code 0 2 * * 0} (the seed's Sundays at 02:00)
 * @param intervalSeconds instead of {@code cron}: every so many seconds (at least 10), e.g. for a test
 * @param run what each scheduled run starts: the body {@code POST /api/runs} takes
 */
public record ScheduleRequest(String cron, Long intervalSeconds, StartRunRequest run) {}
