package io.pgrunbooks.workflows.diagnosis;

import io.pgrunbooks.workflows.assessment.CheckOutcome;
import io.pgrunbooks.workflows.assessment.ReplicaLag;
import io.pgrunbooks.workflows.common.RunProgress;
import io.pgrunbooks.workflows.targets.Hosting;
import io.pgrunbooks.workflows.targets.TargetActivities;
import io.pgrunbooks.workflows.targets.TargetProfile;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.List;

/**
 * Starts every check of "Detailed Diagnosis" at once (they are independent reads), then judges each
 * result into a checklist line and findings in plain words. Checks of the other hosting are not
 * scheduled: on a host there are no pods, events or resource limits (pg_ctl status and the server
 * log file stand in), on kubernetes pg_ctl status is the pod description's job.
 */
public class DiagnoseDatabaseWorkflowImpl implements DiagnoseDatabaseWorkflow {
  private final TargetActivities targets =
      Workflow.newLocalActivityStub(TargetActivities.class, DiagnosisTimeouts.DESCRIBE_TARGET);

  private final DiagnosisActivities checks =
      Workflow.newActivityStub(DiagnosisActivities.class, DiagnosisTimeouts.CHECK);

  @Override
  public DiagnosisReport diagnose(DiagnosisRequest request) {
    String startedAt = now();
    String target = request.target();

    // 0. Which cluster, hosted how (fails at once for an unknown target).
    RunProgress.enter("describe-target", "Looking up target " + target);
    TargetProfile profile = targets.describeTarget(target);
    boolean pods = profile.hosting() == Hosting.KUBERNETES;
    String noPods = "host hosting has no pods: PostgreSQL runs from " + profile.location();

    RunProgress.enter("checks", "Running the diagnosis checks of " + target + " in parallel");
    // Database Pod Issues
    // 1. Detailed pod status: kubectl describe pod postgres-primary-0 / postgres-replica-0.
    Promise<CheckOutcome<List<PodDetails>>> described =
        pods ? async(() -> checks.describeDatabasePods(target)) : notApplicable(noPods);
    // 2. Recent events: kubectl get events --sort-by=.metadata.creationTimestamp | grep postgres | tail -20.
    Promise<CheckOutcome<List<PodEvent>>> events =
        pods ? async(() -> checks.recentPodEvents(target)) : notApplicable(noPods);
    // 3. Pod logs for errors: kubectl logs --tail=100 --since=1h | grep -E "(ERROR|FATAL|PANIC)";
    //    on a host, the server's log file.
    Promise<CheckOutcome<LogScan>> log = async(() -> checks.scanDatabaseLog(target));
    // 4. The previous container's log: kubectl logs --previous --tail=100 | grep -E ...
    Promise<CheckOutcome<LogScan>> previousLog =
        pods
            ? async(() -> checks.scanPreviousDatabaseLog(target))
            : notApplicable("a host server has no previous container: its log file spans restarts");
    // 5. Resource limits and requests: kubectl describe pod | grep -A 10 -B 5 -E "(Limits|Requests)".
    Promise<CheckOutcome<List<ContainerResources>>> resources =
        pods ? async(() -> checks.podResources(target)) : notApplicable(noPods);
    // 5a. A host's counterpart of the pod status: pg_ctl status.
    Promise<CheckOutcome<ServerStatus>> status =
        pods
            ? notApplicable("kubernetes: the pod description says whether the container runs")
            : async(() -> checks.serverStatus(target));
    // Database Internal Health
    // 6. Connection analysis: pg_stat_activity by client_addr, usename, datname, state.
    Promise<CheckOutcome<List<ConnectionGroup>>> connections = async(() -> checks.connectionsByClient(target));
    // 7. Lock analysis: blocked and blocking sessions, their statements and applications.
    Promise<CheckOutcome<List<BlockedSession>>> locks = async(() -> checks.analyzeLocks(target));
    // 8. Replication status: pg_stat_replication with write, flush and replay lag.
    Promise<CheckOutcome<List<ReplicaLag>>> replication = async(() -> checks.replicationStatus(target));
    // Performance Analysis
    // 9. Slow query analysis: pg_stat_statements by mean time, top 10.
    Promise<CheckOutcome<StatementStatistics>> statements = async(() -> checks.slowestStatements(target));
    // 10. Database size analysis: pg_database_size, largest first.
    Promise<CheckOutcome<List<DatabaseSize>>> sizes = async(() -> checks.databaseSizes(target));
    // 11. Table and index usage: pg_stat_user_tables by seq_tup_read, of each database.
    Promise<CheckOutcome<List<TableStatistics>>> tables = async(() -> checks.tableStatistics(target));

    Promise.allOf(described, events, log, previousLog, resources, status, connections, locks, replication,
        statements, sizes, tables).get();

    // The checklist in the seed's order; findings most serious first.
    DiagnosisJudge judge = new DiagnosisJudge(profile.thresholds().replicationLagSeconds());
    DiagnosisJudge.Checklist list = new DiagnosisJudge.Checklist();
    list.add("pod status", described.get(), judge::pods);
    list.add("pod events", events.get(), judge::events);
    list.add("database log", log.get(), judge::log);
    list.add("previous container log", previousLog.get(), judge::log);
    list.add("resource requests and limits", resources.get(), judge::resources);
    list.add("server status (pg_ctl)", status.get(), judge::serverStatus);
    list.add("connections by client", connections.get(), judge::connections);
    list.add("locks", locks.get(), judge::locks);
    list.add("replication", replication.get(), judge::replication);
    list.add("slowest statements", statements.get(), judge::statements);
    list.add("database sizes", sizes.get(), judge::sizes);
    list.add("table statistics", tables.get(), judge::tables);

    List<String> findings = list.findings();
    RunProgress.enter(
        "done",
        findings.isEmpty() ? "nothing stands out on " + target : findings.size() + " finding(s): " + findings.get(0));
    return new DiagnosisReport(
        target,
        profile.hosting(),
        request.requestedBy(),
        startedAt,
        now(),
        findings,
        list.lines(),
        described.get().value(),
        events.get().value(),
        log.get().value(),
        previousLog.get().value(),
        resources.get().value(),
        status.get().value(),
        connections.get().value(),
        locks.get().value(),
        replication.get().value(),
        statements.get().value(),
        sizes.get().value(),
        tables.get().value());
  }

  private static String now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
  }

  private static <T> Promise<CheckOutcome<T>> async(Functions.Func<T> activity) {
    return Async.function(
        () -> {
          try {
            return CheckOutcome.of(activity.apply());
          } catch (ActivityFailure failure) {
            return CheckOutcome.failed(failure);
          }
        });
  }

  private static <T> Promise<CheckOutcome<T>> notApplicable(String why) {
    return Workflow.newPromise(CheckOutcome.notApplicable(why));
  }
}
