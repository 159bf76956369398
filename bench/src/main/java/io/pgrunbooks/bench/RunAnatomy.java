package io.pgrunbooks.bench;

import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a finished run's history (and its children's) says about where its time went, by the
 * server's event times: the time spent waiting at approval gates, and the run's stages.
 *
 * <p>A gate's wait runs from the workflow task that opened it (the upsert of the search attribute
 * {@code AwaitingApproval} = true, which {@code ApprovalGate.await} makes as it opens a gate) to the
 * first {@code approve} signal after it (WorkflowExecutionSignaled). That is the time a person
 * would take; here it is the benchmark's polling of the run's status, the approval over the API and
 * the signal. The workflow task that handles the signal is counted as the run's own time.
 *
 * <p>Stages, summed per kind: each activity type from scheduled to closed (parallel activities
 * overlap, so their sum can exceed the wall time), timers ({@code Workflow.sleep}) from started to
 * fired, child workflows from initiated to closed (a child never closed, e.g. the abandoned watch,
 * is not counted but returned, so that the caller can end it). A child's own stages are prefixed by
 * its workflow type.
 *
 * <p>Marks: when the run itself (not its children) passed its milestones, in epoch milliseconds by
 * the server's clock: {@link #STARTED}, the first gate {@link #GATE_OPENED} and its {@link
 * #APPROVED} signal, each child type's {@code "child <Type> initiated"} and {@code "... closed"}
 * (the first of each), and {@link #COMPLETED}. Spans: the run's own steps in the order they closed,
 * each from-to by the same clock: workflow tasks (scheduled → completed), activities (scheduled →
 * closed), children (initiated → closed), and as points the markers (local activities, versions), the
 * gate's opening and the signals.
 */
record RunAnatomy(
    double completedAtMs, double gateWaitMs, int gates, Map<String, Double> stages, List<String> openChildren,
    Map<String, Double> marks, List<Span> spans) {

  /** One step of the run (see above); a point when {@code fromMs == toMs}. */
  record Span(String what, double fromMs, double toMs) {}

  static final String GATE_WAIT = "gate wait (opened → approve signal)";
  static final String TIMERS = "timers (Workflow.sleep)";
  static final String STARTED = "started";
  static final String GATE_OPENED = "gate opened";
  static final String APPROVED = "approved";
  static final String COMPLETED = "completed";

  /** Reads the run's history and, recursively, its children's. */
  static RunAnatomy of(WorkflowClient client, String workflowId, String runId) {
    Builder b = new Builder(client);
    b.read(workflowId, runId, "");
    return new RunAnatomy(b.completedAt, b.gateWait, b.gates, b.stages, b.openChildren, b.marks, b.spans);
  }

  /** The time of {@code mark} (see above); an error naming it when the history has no such event. */
  double mark(String mark) {
    Double at = marks.get(mark);
    if (at == null) {
      throw new IllegalStateException("no '" + mark + "' in the run's history; it has " + marks.keySet());
    }
    return at;
  }

  static String childInitiatedMark(String workflowType) {
    return "child " + workflowType + " initiated";
  }

  static String childClosedMark(String workflowType) {
    return "child " + workflowType + " closed";
  }

  private static final class Builder {
    final WorkflowClient client;
    final Map<String, Double> stages = new LinkedHashMap<>();
    final List<String> openChildren = new ArrayList<>();
    final Map<String, Double> marks = new LinkedHashMap<>();
    final List<Span> spans = new ArrayList<>();
    double completedAt = Double.NaN;
    double gateWait;
    int gates;

    Builder(WorkflowClient client) {
      this.client = client;
    }

    void read(String workflowId, String runId, String prefix) {
      List<HistoryEvent> events = client.fetchHistory(workflowId, runId).getEvents();
      Map<Long, String> activityType = new HashMap<>();
      Map<Long, Double> scheduledAt = new HashMap<>();
      Map<Long, Double> timerAt = new HashMap<>();
      Map<Long, String> childType = new HashMap<>();
      Map<Long, Double> childAt = new HashMap<>();
      Map<Long, String[]> childExecution = new LinkedHashMap<>();
      double gateOpenedAt = Double.NaN;
      double taskScheduledAt = Double.NaN;
      for (HistoryEvent e : events) {
        double at = RunTimeline.millis(e.getEventTime());
        if (prefix.isEmpty()) {
          span(e, at, taskScheduledAt);
          if (e.hasWorkflowTaskScheduledEventAttributes()) {
            taskScheduledAt = at;
          }
        }
        if (e.hasWorkflowExecutionStartedEventAttributes() && prefix.isEmpty()) {
          marks.put(STARTED, at);
        } else if (e.hasActivityTaskScheduledEventAttributes()) {
          activityType.put(e.getEventId(), e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
          scheduledAt.put(e.getEventId(), at);
        } else if (e.hasActivityTaskCompletedEventAttributes()) {
          activityClosed(prefix, activityType, scheduledAt, e.getActivityTaskCompletedEventAttributes().getScheduledEventId(), at);
        } else if (e.hasActivityTaskFailedEventAttributes()) {
          activityClosed(prefix, activityType, scheduledAt, e.getActivityTaskFailedEventAttributes().getScheduledEventId(), at);
        } else if (e.hasActivityTaskTimedOutEventAttributes()) {
          activityClosed(prefix, activityType, scheduledAt, e.getActivityTaskTimedOutEventAttributes().getScheduledEventId(), at);
        } else if (e.hasTimerStartedEventAttributes()) {
          timerAt.put(e.getEventId(), at);
        } else if (e.hasTimerFiredEventAttributes()) {
          Double started = timerAt.get(e.getTimerFiredEventAttributes().getStartedEventId());
          if (started != null) {
            stages.merge(prefix + TIMERS, at - started, Double::sum);
          }
        } else if (e.hasStartChildWorkflowExecutionInitiatedEventAttributes()) {
          String type = e.getStartChildWorkflowExecutionInitiatedEventAttributes().getWorkflowType().getName();
          childType.put(e.getEventId(), type);
          childAt.put(e.getEventId(), at);
          if (prefix.isEmpty()) {
            marks.putIfAbsent(childInitiatedMark(type), at);
          }
        } else if (e.hasChildWorkflowExecutionStartedEventAttributes()) {
          var a = e.getChildWorkflowExecutionStartedEventAttributes();
          childExecution.put(a.getInitiatedEventId(),
              new String[] {a.getWorkflowExecution().getWorkflowId(), a.getWorkflowExecution().getRunId()});
        } else if (e.hasChildWorkflowExecutionCompletedEventAttributes()) {
          childClosed(prefix, childType, childAt, childExecution, e.getChildWorkflowExecutionCompletedEventAttributes().getInitiatedEventId(), at);
        } else if (e.hasChildWorkflowExecutionFailedEventAttributes()) {
          childClosed(prefix, childType, childAt, childExecution, e.getChildWorkflowExecutionFailedEventAttributes().getInitiatedEventId(), at);
        } else if (e.hasUpsertWorkflowSearchAttributesEventAttributes()) {
          Payload awaiting = e.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes().getIndexedFieldsMap()
              .get("AwaitingApproval");
          if (awaiting != null && awaiting.getData().toStringUtf8().trim().equals("true") && Double.isNaN(gateOpenedAt)) {
            gateOpenedAt = at;
            if (prefix.isEmpty()) {
              marks.putIfAbsent(GATE_OPENED, at);
            }
          }
        } else if (e.hasWorkflowExecutionSignaledEventAttributes()
            && e.getWorkflowExecutionSignaledEventAttributes().getSignalName().equals("approve")
            && !Double.isNaN(gateOpenedAt)) {
          gateWait += at - gateOpenedAt;
          if (prefix.isEmpty()) {
            marks.putIfAbsent(APPROVED, at);
          }
          stages.merge(GATE_WAIT, at - gateOpenedAt, Double::sum);
          gates++;
          gateOpenedAt = Double.NaN;
        } else if (e.hasWorkflowExecutionCompletedEventAttributes() && prefix.isEmpty()) {
          completedAt = at;
          marks.put(COMPLETED, at);
        }
      }
      // Children still running (the abandoned post-incident watch): named for the caller.
      for (Map.Entry<Long, String[]> child : childExecution.entrySet()) {
        openChildren.add(child.getValue()[0]);
      }
    }

    private void activityClosed(String prefix, Map<Long, String> types, Map<Long, Double> scheduled, long id, double at) {
      String type = types.get(id);
      if (type != null) {
        stages.merge(prefix + type, at - scheduled.get(id), Double::sum);
        if (prefix.isEmpty()) {
          spans.add(new Span(type, scheduled.get(id), at));
        }
      }
    }

    /** The run's own workflow tasks, markers, gate openings and signals (activities and children: where they close). */
    private void span(HistoryEvent e, double at, double taskScheduledAt) {
      if (e.hasWorkflowTaskCompletedEventAttributes()) {
        spans.add(new Span("workflow task", taskScheduledAt, at));
      } else if (e.hasMarkerRecordedEventAttributes()) {
        String name = e.getMarkerRecordedEventAttributes().getMarkerName();
        spans.add(new Span(name.equals("LocalActivity") ? "local activity (marker)" : "marker " + name, at, at));
      } else if (e.hasWorkflowExecutionSignaledEventAttributes()) {
        spans.add(new Span("signal " + e.getWorkflowExecutionSignaledEventAttributes().getSignalName(), at, at));
      } else if (e.hasUpsertWorkflowSearchAttributesEventAttributes()
          && e.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes().getIndexedFieldsMap().containsKey("AwaitingApproval")) {
        spans.add(new Span("search attributes: AwaitingApproval = " + e.getUpsertWorkflowSearchAttributesEventAttributes()
            .getSearchAttributes().getIndexedFieldsMap().get("AwaitingApproval").getData().toStringUtf8().trim(), at, at));
      }
    }

    private void childClosed(
        String prefix, Map<Long, String> types, Map<Long, Double> initiated, Map<Long, String[]> executions, long id, double at) {
      String type = types.get(id);
      if (type == null) {
        return;
      }
      stages.merge(prefix + "child " + type, at - initiated.get(id), Double::sum);
      if (prefix.isEmpty()) {
        spans.add(new Span("child " + type, initiated.get(id), at));
        marks.putIfAbsent(childClosedMark(type), at);
      }
      String[] execution = executions.remove(id);
      if (execution != null) {
        read(execution[0], execution[1], prefix + type + ": ");
      }
    }
  }
}
