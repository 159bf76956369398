package io.pgrunbooks.api.runs;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code pgrunbooks.schedules[]}: the schedules the API creates from configuration at start-up.
 *
 * @param schedules each a cron or an interval and the run it starts
 */
@ConfigurationProperties("pgrunbooks")
public record SchedulesProperties(List<ScheduleRequest> schedules) {
  public SchedulesProperties {
    schedules = schedules == null ? List.of() : List.copyOf(schedules);
  }
}
