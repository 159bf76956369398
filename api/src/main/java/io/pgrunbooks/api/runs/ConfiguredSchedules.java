package io.pgrunbooks.api.runs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Schedules from configuration ({@code pgrunbooks.schedules[]}: {@code cron} or {@code
 * interval-seconds}, and {@code run}, the body {@code POST /api/runs} takes), created or brought in
 * line with it when the API starts: the seed's daily backup CronJob and weekly restore test as
 * Temporal Schedules that live in the cluster's configuration. A schedule the server refuses, or a
 * server that cannot be reached, is logged; the API starts anyway.
 */
@Component
class ConfiguredSchedules {
  private static final Logger log = LoggerFactory.getLogger(ConfiguredSchedules.class);

  private final SchedulesProperties properties;
  private final ScheduleService schedules;

  ConfiguredSchedules(SchedulesProperties properties, ScheduleService schedules) {
    this.properties = properties;
    this.schedules = schedules;
  }

  @EventListener(ApplicationReadyEvent.class)
  void apply() {
    for (ScheduleRequest request : properties.schedules()) {
      try {
        ScheduleView applied = schedules.apply(request, "configuration");
        log.info("schedule {} ({}) from configuration: next runs {}", applied.scheduleId(), applied.cron(), applied.nextRuns());
      } catch (RuntimeException e) {
        log.warn("schedule of {} from configuration not applied: {}", request.run() == null ? "?" : request.run().runbook(), e.getMessage());
      }
    }
  }
}
