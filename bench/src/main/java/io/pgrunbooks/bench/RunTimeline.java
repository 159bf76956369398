package io.pgrunbooks.bench;

import com.google.protobuf.Timestamp;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one run's time went, from the server's event times in its history: the three stages of the
 * workflow (describeTarget, checkReadiness, the nine parallel checks), what lies between them
 * (workflow tasks: dispatch to the worker, replay, commands back), and the activities' mean
 * schedule-to-start latency (dispatch through the task queue).
 */
record RunTimeline(
    double workflowMs,
    double describeMs,
    double readinessMs,
    double parallelMs,
    double betweenStagesMs,
    double meanScheduleToStartMs,
    int workflowTasks) {

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
    double describe = Double.NaN;
    double readiness = Double.NaN;
    double parallelFirst = Double.MAX_VALUE;
    double parallelLast = 0;
    double dispatchSum = 0;
    int dispatched = 0;
    for (Map.Entry<Long, String> a : typeBySchedule.entrySet()) {
      long id = a.getKey();
      double span = closedAt.getOrDefault(id, Double.NaN) - scheduledAt.get(id);
      switch (a.getValue()) {
        case "DescribeTarget" -> describe = span;
        case "CheckReadiness" -> readiness = span;
        default -> {
          parallelFirst = Math.min(parallelFirst, scheduledAt.get(id));
          parallelLast = Math.max(parallelLast, closedAt.getOrDefault(id, Double.NaN));
        }
      }
      if (startedAt.containsKey(id)) {
        dispatchSum += startedAt.get(id) - scheduledAt.get(id);
        dispatched++;
      }
    }
    double parallel = parallelLast - parallelFirst;
    double workflow = completed - started;
    return new RunTimeline(
        workflow,
        describe,
        readiness,
        parallel,
        workflow - describe - readiness - parallel,
        dispatched == 0 ? Double.NaN : dispatchSum / dispatched,
        workflowTasks);
  }

  static double millis(Timestamp t) {
    return t.getSeconds() * 1000.0 + t.getNanos() / 1e6;
  }
}
