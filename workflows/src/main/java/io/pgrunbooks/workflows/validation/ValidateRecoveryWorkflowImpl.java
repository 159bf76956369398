package io.pgrunbooks.workflows.validation;

import io.pgrunbooks.workflows.assessment.AssessmentActivities;
import io.pgrunbooks.workflows.assessment.Readiness;
import io.pgrunbooks.workflows.assessment.ReplicaLag;
import io.pgrunbooks.workflows.assessment.ReplicationStatus;
import io.pgrunbooks.workflows.common.RunProgress;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the checks in parallel (readiness and replication are the assessment's own activities) and
 * says what is wrong: not accepting connections, a replica not streaming, an application unhealthy.
 */
public class ValidateRecoveryWorkflowImpl implements ValidateRecoveryWorkflow {
  /** Each check answers in seconds; a few retries ride out a server still settling after recovery. */
  private static final ActivityOptions CHECK =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setMaximumAttempts(3).build())
          .build();

  private final AssessmentActivities assessment = Workflow.newActivityStub(AssessmentActivities.class, CHECK);
  private final ValidationActivities validation = Workflow.newActivityStub(ValidationActivities.class, CHECK);

  @Override
  public ValidationReport validate(ValidationRequest request) {
    String target = request.target();
    RunProgress.enter("checks", "Post-recovery health checks of " + target);
    Promise<Readiness> readiness = Async.function(assessment::checkReadiness, target);
    Promise<ReplicationStatus> replication = Async.function(assessment::checkReplication, target);
    Promise<Map<String, Integer>> connections = Async.function(validation::connectionsByState, target);
    Promise<List<DatabaseStatistics>> databases = Async.function(validation::databaseStatistics, target);
    Promise<List<HealthCheck>> applications = Async.function(validation::checkApplicationHealth, target);

    List<String> problems = new ArrayList<>();
    Readiness ready = readiness.get();
    if (!ready.accepting()) {
      problems.add("the server is not accepting connections: " + ready.state() + " (" + ready.detail() + ")");
    }
    // Without a connection the SQL checks cannot answer; say so once instead of failing the run.
    ReplicationStatus lag = ready.accepting() ? replication.get() : new ReplicationStatus(List.of(), 0);
    for (ReplicaLag replica : lag.replicas()) {
      if (!"streaming".equals(replica.state())) {
        problems.add("replica " + replica.applicationName() + " (" + replica.clientAddr() + ") is " + replica.state() + ", not streaming");
      }
    }
    Map<String, Integer> states = ready.accepting() ? connections.get() : Map.of();
    List<DatabaseStatistics> stats = ready.accepting() ? databases.get() : List.of();
    List<HealthCheck> health = applications.get();
    for (HealthCheck check : health) {
      if (!check.healthy()) {
        problems.add(check.url() + " answered " + (check.status() == 0 ? "nothing (" + check.error() + ")" : "HTTP " + check.status()));
      }
    }
    RunProgress.enter("done", problems.isEmpty() ? target + " checks out" : problems.size() + " problem(s): " + String.join("; ", problems));
    return new ValidationReport(target, ready, lag, states, stats, health, problems);
  }
}
