package io.pgrunbooks.workflows.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The worker's interceptor writes each activity's summary into the history the Web UI reads. */
class StepSummariesTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder().setWorkerInterceptors(new StepSummaries()).build())
          .registerWorkflowImplementationTypes(StepsWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  @BeforeEach
  void worker(TestWorkflowEnvironment env, Worker worker) {
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    worker.registerActivitiesImplementations((Echo) text -> text);
    env.start();
  }

  @Test
  void everyActivityIsSummarisedWithTheStepItServesUnlessItHasASummaryOfItsOwn(WorkflowClient client, Worker worker, TestWorkflowEnvironment env) {
    StepsWorkflow wf = client.newWorkflowStub(
        StepsWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());
    wf.run();
    assertThat(scheduledSummaries(env, WorkflowStub.fromTyped(wf).getExecution().getWorkflowId()))
        .containsExactly(
            Map.entry("Echo", "Echo"),
            Map.entry("Echo", "step alert-details: Echo"),
            Map.entry("Echo", "step classify: Echo"),
            Map.entry("Echo", "said by the workflow itself"));
  }

  /** (activity type, summary) of every ActivityTaskScheduled event, in order, from the event's user metadata. */
  private static List<Map.Entry<String, String>> scheduledSummaries(TestWorkflowEnvironment env, String workflowId) {
    return env.getWorkflowClient().fetchHistory(workflowId).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .map(e -> Map.entry(e.getActivityTaskScheduledEventAttributes().getActivityType().getName(), summary(e)))
        .collect(Collectors.toList());
  }

  private static String summary(HistoryEvent e) {
    assertThat(e.hasUserMetadata()).as("user metadata of %s", e).isTrue();
    return DefaultDataConverter.newDefaultInstance().fromPayload(e.getUserMetadata().getSummary(), String.class, String.class);
  }

  @ActivityInterface
  public interface Echo {
    String echo(String text);
  }

  @WorkflowInterface
  public interface StepsWorkflow {
    @WorkflowMethod
    void run();
  }

  /** Like a runbook: a call before its first phase, one in each of two phases, one with its own summary. */
  public static class StepsWorkflowImpl implements StepsWorkflow {
    private static final ActivityOptions QUICK = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build();

    @Override
    public void run() {
      Echo echo = Workflow.newActivityStub(Echo.class, QUICK);
      echo.echo("no phase yet");
      RunProgress.enter("alert-details", "Reading the alert");
      echo.echo("reading");
      RunProgress.enter("classify", "Classifying");
      echo.echo("classifying");
      Workflow.newActivityStub(Echo.class, ActivityOptions.newBuilder(QUICK).setSummary("said by the workflow itself").build())
          .echo("with a summary");
    }
  }
}
