package io.pgrunbooks.workflows.maintenance;

import io.pgrunbooks.workflows.common.RunProgress;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** See {@link RunMaintenanceWorkflow}. */
public class RunMaintenanceWorkflowImpl implements RunMaintenanceWorkflow {
  private static final ActivityOptions QUICK = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
      .build();

  /** A large table's VACUUM takes long: heartbeats between tables, and a retry resumes at the next one. */
  private static final ActivityOptions VACUUM = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofHours(6))
      .setHeartbeatTimeout(Duration.ofMinutes(30))
      .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(10)).setMaximumAttempts(3).build())
      .build();

  private final MaintenanceActivities quick = Workflow.newActivityStub(MaintenanceActivities.class, QUICK);
  private final MaintenanceActivities vacuum = Workflow.newActivityStub(MaintenanceActivities.class, VACUUM);

  @Override
  public MaintenanceResult maintain(MaintenanceRequest request) {
    List<DatabaseMaintenance> done = new ArrayList<>();
    for (String database : quick.databasesToMaintain(request.target(), request.databases())) {
      RunProgress.enter("vacuum-analyze", "VACUUM ANALYZE of " + database);
      try {
        done.add(vacuum.vacuumAnalyze(request.target(), database));
      } catch (ActivityFailure failure) {
        Throwable cause = failure.getCause();
        done.add(new DatabaseMaintenance(database, 0, 0, cause instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(cause)));
      }
    }
    long failed = done.stream().filter(d -> d.error() != null).count();
    RunProgress.enter("done", done.size() + " database(s) maintained" + (failed == 0 ? "" : ", " + failed + " failed"));
    return new MaintenanceResult(request.target(), done);
  }
}
