package io.pgrunbooks.bench;

import com.google.protobuf.Timestamp;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one run's time went, from the server's event times in its history. The workflow's shape:
 * a first workflow task (which runs describeTarget as a local activity and schedules pg_isready and
 * the hosting checks), pg_isready, a workflow task that schedules the four SQL checks, the SQL
 * checks, and the last workflow task that completes the run. Also the activities' mean
 * schedule-to-start latency (dispatch through the task queue, or eager dispatch).
 */
record RunTimeline(
    double workflowMs,
    double firstTaskMs,
    double readinessMs,
    double afterReadinessTaskMs,
    double sqlChecksMs,
    double lastTaskMs,
    double meanScheduleToStartMs,
    int workflowTasks) {

  private static final java.util.Set<String> SQL_CHECKS =
      java.util.Set.of("CheckServerIdentity", "CheckConnectionUsage", "FindLongRunningQueries", "CheckReplication");

  static RunTimeline of(List<HistoryEvent> events) {
    double started = Double.NaN;
    double completed = Double.NaN;
    int workflowTasks = 0;
    Map<Long, String> typeBySchedule = new HashMap<>();
    Map<Long, Double> scheduledAt = new HashMap<>();
    Map<Long, Double> startedAt = new HashMap<>();
    Map<Long, Double> closedAt = new HashMap<>();
    for (HistoryEvent e : events) {
      double t = millis(e.getEventTime());
      if (e.hasWorkflowExecutionStartedEventAttributes()) {
        started = t;
      } else if (e.hasWorkflowExecutionCompletedEventAttributes()) {
        completed = t;
      } else if (e.hasWorkflowTaskCompletedEventAttributes()) {
        workflowTasks++;
      } else if (e.hasActivityTaskScheduledEventAttributes()) {
        typeBySchedule.put(e.getEventId(), e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
        scheduledAt.put(e.getEventId(), t);
      } else if (e.hasActivityTaskStartedEventAttributes()) {
        startedAt.put(e.getActivityTaskStartedEventAttributes().getScheduledEventId(), t);
      } else if (e.hasActivityTaskCompletedEventAttributes()) {
        closedAt.put(e.getActivityTaskCompletedEventAttributes().getScheduledEventId(), t);
      } else if (e.hasActivityTaskFailedEventAttributes()) {
        closedAt.put(e.getActivityTaskFailedEventAttributes().getScheduledEventId(), t);
      } else if (e.hasActivityTaskTimedOutEventAttributes()) {
        closedAt.put(e.getActivityTaskTimedOutEventAttributes().getScheduledEventId(), t);
      }
    }
    double readinessScheduled = Double.NaN;
    double readinessClosed = Double.NaN;
    double sqlFirst = Double.MAX_VALUE;
    double sqlLast = 0;
    double lastClosed = 0;
    double dispatchSum = 0;
    int dispatched = 0;
    for (Map.Entry<Long, String> a : typeBySchedule.entrySet()) {
      long id = a.getKey();
      double closed = closedAt.getOrDefault(id, Double.NaN);
      lastClosed = Math.max(lastClosed, closed);
      if (a.getValue().equals("CheckReadiness")) {
        readinessScheduled = scheduledAt.get(id);
        readinessClosed = closed;
      } else if (SQL_CHECKS.contains(a.getValue())) {
        sqlFirst = Math.min(sqlFirst, scheduledAt.get(id));
        sqlLast = Math.max(sqlLast, closed);
      }
      if (startedAt.containsKey(id)) {
        dispatchSum += startedAt.get(id) - scheduledAt.get(id);
        dispatched++;
      }
    }
    return new RunTimeline(
        completed - started,
        readinessScheduled - started,
        readinessClosed - readinessScheduled,
        sqlFirst - readinessClosed,
        sqlLast - sqlFirst,
        completed - lastClosed,
        dispatched == 0 ? Double.NaN : dispatchSum / dispatched,
        workflowTasks);
  }

  static double millis(Timestamp t) {
    return t.getSeconds() * 1000.0 + t.getNanos() / 1e6;
  }
}
