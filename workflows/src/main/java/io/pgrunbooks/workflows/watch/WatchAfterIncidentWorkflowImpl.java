package io.pgrunbooks.workflows.watch;

import io.pgrunbooks.workflows.common.RunProgress;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;

/**
 * The watch: the rules' name is derived from the run (target, incident or run start), so a retried
 * install replaces the same rules. Removal runs also when the run is cancelled.
 */
public class WatchAfterIncidentWorkflowImpl implements WatchAfterIncidentWorkflow {
  /** The Kubernetes API or the rules directory may be briefly away: retry for a long time, removal must happen. */
  private static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder()
              .setInitialInterval(Duration.ofSeconds(5))
              .setMaximumInterval(Duration.ofMinutes(5))
              .setDoNotRetry("InvalidWatchRequest")
              .build())
          .build();

  private final WatchActivities rules = Workflow.newActivityStub(WatchActivities.class, OPTIONS);
  private String stoppedBy;

  @Override
  public WatchResult watch(WatchRequest request) {
    Duration period = Duration.ofHours(request.hours() > 0 ? request.hours() : 4);
    long start = Workflow.currentTimeMillis();
    String name = "pg-runbooks-post-incident-" + request.target() + "-"
        + (request.incident() == null || request.incident().isBlank() ? Long.toString(start / 1000) : request.incident());
    String until = Instant.ofEpochMilli(start).plus(period).toString();
    RunProgress.enter("install", "Installing the post-incident alert rules " + name);
    InstalledRules installed = rules.installRules(request.target(), name, until);
    String installedAt = now();
    String endedBy = "timer";
    try {
      RunProgress.enter("watching", "Post-incident rules " + installed.alerts() + " at " + installed.location() + " until " + until
          + "; signal stop to end early");
      Workflow.await(period, () -> stoppedBy != null);
      if (stoppedBy != null) {
        endedBy = stoppedBy;
      }
    } catch (CanceledFailure cancelled) {
      endedBy = "cancellation";
      Workflow.newDetachedCancellationScope(() -> rules.removeRules(request.target(), name)).run();
      throw cancelled;
    }
    RunProgress.enter("remove", "Removing " + installed.location());
    rules.removeRules(request.target(), name);
    RunProgress.enter("done", "The post-incident rules were removed (" + endedBy + ")");
    return new WatchResult(installed, installedAt, now(), endedBy);
  }

  @Override
  public void stop(String person) {
    stoppedBy = person == null || person.isBlank() ? "stop signal" : person;
  }

  private static String now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
  }
}
