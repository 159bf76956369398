package io.pgrunbooks.harness;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What a run is doing now (its pending activities) and did (its history's activity events). */
public final class RunHistory {
  private RunHistory() {}

  /** The activity of that type once a worker has started it, from DescribeWorkflowExecution (latest run). */
  public static PendingActivityInfo awaitActivityStarted(
      WorkflowServiceStubs service, String workflowId, String activityType, Duration timeout) {
    return awaitActivityStarted(service, workflowId, null, activityType, timeout);
  }

  /** The activity of that type once a worker has started it; {@code runId} null for the latest run. */
  public static PendingActivityInfo awaitActivityStarted(
      WorkflowServiceStubs service, String workflowId, String runId, String activityType, Duration timeout) {
    WorkflowExecution.Builder execution = WorkflowExecution.newBuilder().setWorkflowId(workflowId);
    if (runId != null) {
      execution.setRunId(runId);
    }
    DescribeWorkflowExecutionRequest request =
        DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace("default")
            .setExecution(execution.build())
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<PendingActivityInfo> match =
          service
              .blockingStub()
              .describeWorkflowExecution(request)
              .getPendingActivitiesList()
              .stream()
              .filter(a -> a.getActivityType().getName().equals(activityType))
              .filter(a -> a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED)
              .findFirst();
      if (match.isPresent()) {
        return match.get();
      }
      Processes.sleep(25);
    }
    throw new IllegalStateException(activityType + " of " + workflowId + " never started");
  }

  /** The event id of the first ActivityTaskScheduled of that activity type. */
  public static long scheduledEventId(List<HistoryEvent> events, String activityType) {
    return events.stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .filter(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals(activityType))
        .findFirst()
        .orElseThrow()
        .getEventId();
  }

  /**
   * The ActivityTaskStarted of the first activity of that type: its last attempt, since the
   * history records only the attempt that closed the activity (or is running).
   */
  public static HistoryEvent activityStarted(List<HistoryEvent> events, String activityType) {
    long scheduledId = scheduledEventId(events, activityType);
    return events.stream()
        .filter(HistoryEvent::hasActivityTaskStartedEventAttributes)
        .filter(e -> e.getActivityTaskStartedEventAttributes().getScheduledEventId() == scheduledId)
        .findFirst()
        .orElseThrow();
  }

  /** The ActivityTaskCompleted of the first activity of that type, if it completed. */
  public static Optional<HistoryEvent> activityCompleted(List<HistoryEvent> events, String activityType) {
    long scheduledId = scheduledEventId(events, activityType);
    return events.stream()
        .filter(HistoryEvent::hasActivityTaskCompletedEventAttributes)
        .filter(e -> e.getActivityTaskCompletedEventAttributes().getScheduledEventId() == scheduledId)
        .findFirst();
  }

  /** Saves a run's history under target/histories/NAME.json: recordings for the replay test come from real runs. */
  public static void save(io.temporal.client.WorkflowClient client, String workflowId, String name) throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "histories"));
    java.nio.file.Files.writeString(dir.resolve(name + ".json"), client.fetchHistory(workflowId).toJson(true));
  }
}
