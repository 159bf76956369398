package io.pgrunbooks.workflows.common;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.workflow.Workflow;

/**
 * Gives every activity a summary naming the runbook step it belongs to, e.g. {@code step
 * alert-details: ReadBackupAlert}: the run's phase (the {@link RunbookSearchAttributes#PHASE} that
 * {@link RunProgress#enter} set last) and the activity type. The Web UI shows it on the activity in
 * the run's event history and timeline, so a person sees which step each call served without reading
 * the workflow code. One place for every runbook: registered on the worker (the workers module's
 * Spring configuration) rather than written at each call site; a call that has a summary of its own
 * keeps it.
 *
 * <p>Replay-safe: the summary is user metadata of the ScheduleActivityTask command, which the SDK
 * does not compare with the recorded history, so histories recorded without it replay unchanged
 * (ReplayTest replays them with this interceptor registered).
 */
public final class StepSummaries extends WorkerInterceptorBase {

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public void init(WorkflowOutboundCallsInterceptor outboundCalls) {
        super.init(new Outbound(outboundCalls));
      }
    };
  }

  /** The summary of an activity of type {@code activityType} started now. Workflow code only. */
  public static String summary(String activityType) {
    String phase = Workflow.getTypedSearchAttributes().get(RunbookSearchAttributes.PHASE);
    return phase == null || phase.isBlank() ? activityType : "step " + phase + ": " + activityType;
  }

  private static final class Outbound extends WorkflowOutboundCallsInterceptorBase {
    Outbound(WorkflowOutboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
      ActivityOptions options = input.getOptions();
      if (options.getSummary() != null) {
        return super.executeActivity(input);
      }
      return super.executeActivity(
          new ActivityInput<>(
              input.getActivityName(),
              input.getResultClass(),
              input.getResultType(),
              input.getArgs(),
              ActivityOptions.newBuilder(options).setSummary(summary(input.getActivityName())).build(),
              input.getHeader()));
    }

    @Override
    public <R> LocalActivityOutput<R> executeLocalActivity(LocalActivityInput<R> input) {
      LocalActivityOptions options = input.getOptions();
      if (options.getSummary() != null) {
        return super.executeLocalActivity(input);
      }
      return super.executeLocalActivity(
          new LocalActivityInput<>(
              input.getActivityName(),
              input.getResultClass(),
              input.getResultType(),
              input.getArgs(),
              LocalActivityOptions.newBuilder(options).setSummary(summary(input.getActivityName())).build(),
              input.getHeader()));
    }
  }
}
