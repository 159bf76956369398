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
 */
record RunAnatomy(double completedAtMs, double gateWaitMs, int gates, Map<String, Double> stages, List<String> openChildren) {
  static final String GATE_WAIT = "gate wait (opened → approve signal)";
  static final String TIMERS = "timers (Workflow.sleep)";

  /** Reads the run's history and, recursively, its children's. */
  static RunAnatomy of(WorkflowClient client, String workflowId, String runId) {
    Builder b = new Builder(client);
    b.read(workflowId, runId, "");
    return new RunAnatomy(b.completedAt, b.gateWait, b.gates, b.stages, b.openChildren);
  }

  private static final class Builder {
    final WorkflowClient client;
    final Map<String, Double> stages = new LinkedHashMap<>();
    final List<String> openChildren = new ArrayList<>();
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
      for (HistoryEvent e : events) {
        double at = RunTimeline.millis(e.getEventTime());
        if (e.hasActivityTaskScheduledEventAttributes()) {
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
          childType.put(e.getEventId(), e.getStartChildWorkflowExecutionInitiatedEventAttributes().getWorkflowType().getName());
          childAt.put(e.getEventId(), at);
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
          }
        } else if (e.hasWorkflowExecutionSignaledEventAttributes()
            && e.getWorkflowExecutionSignaledEventAttributes().getSignalName().equals("approve")
            && !Double.isNaN(gateOpenedAt)) {
          gateWait += at - gateOpenedAt;
          stages.merge(GATE_WAIT, at - gateOpenedAt, Double::sum);
          gates++;
          gateOpenedAt = Double.NaN;
        } else if (e.hasWorkflowExecutionCompletedEventAttributes() && prefix.isEmpty()) {
          completedAt = at;
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
      }
    }

    private void childClosed(
        String prefix, Map<Long, String> types, Map<Long, Double> initiated, Map<Long, String[]> executions, long id, double at) {
      String type = types.get(id);
      if (type == null) {
        return;
      }
      stages.merge(prefix + "child " + type, at - initiated.get(id), Double::sum);
      String[] execution = executions.remove(id);
      if (execution != null) {
        read(execution[0], execution[1], prefix + type + ": ");
      }
    }
  }
}
