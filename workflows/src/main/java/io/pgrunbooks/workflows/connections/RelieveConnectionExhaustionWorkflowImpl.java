package io.pgrunbooks.workflows.connections;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.approval.GateRequest;
import io.pgrunbooks.workflows.approval.GatedRun;
import io.pgrunbooks.workflows.approval.OnTimeout;
import io.pgrunbooks.workflows.common.RunProgress;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The scenario, step by step. Each changing step has its own gate showing exactly what it will do;
 * a rejected (or, after 30 minutes, undecided) gate ends the run there, its step not done. After
 * every change usage is checked again against the target's connections-warn-percent.
 */
public class RelieveConnectionExhaustionWorkflowImpl extends GatedRun implements RelieveConnectionExhaustionWorkflow {
  /** An incident's picture goes stale: a gate nobody decides on within this ends the run. */
  static final Duration GATE_TIMEOUT = Duration.ofMinutes(30);

  private final ConnectionActivities quick = Workflow.newActivityStub(ConnectionActivities.class, ConnectionTimeouts.QUICK);
  private final ConnectionActivities restart = Workflow.newActivityStub(ConnectionActivities.class, ConnectionTimeouts.RESTART);

  private final List<String> plan = new ArrayList<>();
  private final List<GateOutcome> decisions = new ArrayList<>();
  private final List<String> checks = new ArrayList<>();
  private final List<String> findings = new ArrayList<>();
  private final List<String> restarted = new ArrayList<>();
  private ConnectionRequest request;
  private ConnectionDiagnosis diagnosis;
  private Termination termination;
  private Integer maxConnectionsSet;

  @Override
  public RelieveResult relieve(ConnectionRequest request) {
    this.request = request;
    gate.requestedBy(request.requestedBy());
    int idleMinutes = request.idleMinutesOrDefault();

    // 1. Check current connections and identify their sources (read-only).
    RunProgress.enter("diagnose", "Counting connections by state and source on " + request.target());
    diagnosis = quick.diagnose(request.target(), idleMinutes);
    boolean terminate = !diagnosis.idle().isEmpty();
    boolean restartApps = diagnosis.hosting() == Hosting.KUBERNETES && !diagnosis.deployments().isEmpty();
    boolean raise = planMaxConnections();
    planSteps(idleMinutes, terminate, restartApps, raise);
    if (request.dryRun()) {
      RunProgress.enter("planned", "Dry run: nothing was changed; the plan is in the result");
      return result(RelieveStatus.PLANNED, null);
    }

    // 2. Gate, then kill idle connections: exactly the listed sessions.
    if (terminate) {
      GateOutcome decision = ask(gateRequest(
          TERMINATE_GATE,
          "terminate " + diagnosis.idle().size() + " session(s) idle for more than " + idleMinutes + " minutes: "
              + diagnosis.idle().stream().map(IdleBackend::describe).collect(Collectors.joining(", "))
              + "; a session that became active again is skipped",
          "connections are at " + diagnosis.usage().describe()));
      if (!decision.approved()) {
        return rejected(decision);
      }
      RunProgress.enter("terminate", "Terminating " + diagnosis.idle().size() + " idle session(s)");
      termination = quick.terminateIdle(request.target(), diagnosis.idle(), idleMinutes);
      recheck("after terminating " + termination.terminated().size() + " idle session(s)");
    }

    // 3. Gate, then restart application services to reset connection pools.
    if (restartApps) {
      GateOutcome decision = ask(gateRequest(
          RESTART_GATE,
          "rollout restart of deployment(s) " + String.join(", ", diagnosis.deployments())
              + " (pods replaced one by one, as kubectl rollout restart does)",
          "restarting the applications resets their connection pools; connections are at " + lastUsage()));
      if (!decision.approved()) {
        return rejected(decision);
      }
      RunProgress.enter("restart-applications", "Restarting " + String.join(", ", diagnosis.deployments()));
      String restartedAt = Instant.ofEpochMilli(Workflow.currentTimeMillis()).truncatedTo(ChronoUnit.SECONDS).toString();
      restarted.addAll(quick.restartApplications(request.target(), restartedAt));
      recheck("after restarting " + String.join(", ", restarted));
    }

    // 4. Gate, then update max_connections (host hosting: ALTER SYSTEM and a restart).
    if (raise) {
      GateOutcome decision = ask(gateRequest(
          MAX_CONNECTIONS_GATE,
          "ALTER SYSTEM SET max_connections = " + request.maxConnections() + " (now " + diagnosis.usage().maxConnections()
              + "), then restart the server (pg_ctl restart -m fast): every session is disconnected, the server is down for seconds",
          "connections are at " + lastUsage()));
      if (!decision.approved()) {
        return rejected(decision);
      }
      RunProgress.enter("max-connections", "Setting max_connections to " + request.maxConnections() + " and restarting");
      maxConnectionsSet = restart.setMaxConnections(request.target(), request.maxConnections());
      recheck("after setting max_connections to " + maxConnectionsSet);
    }

    // 5. The outcome: connections under the threshold or not.
    String outcome = checks.isEmpty() ? "nothing was changed: " + diagnosis.usage().describe() : checks.get(checks.size() - 1);
    RunProgress.enter("done", outcome);
    return result(RelieveStatus.DONE, null);
  }

  /** Whether step 4 applies; when asked for but not applicable, says why in the findings. */
  private boolean planMaxConnections() {
    Integer wanted = request.maxConnections();
    if (wanted == null) {
      return false;
    }
    int now = diagnosis.usage().maxConnections();
    if (diagnosis.hosting() != Hosting.HOST) {
      findings.add("max_connections " + now + " -> " + wanted + " is NOT applied automatically on " + diagnosis.hosting()
          + " hosting: the seed's configmap patch changes nothing unless the server reads that configuration; set it"
          + " where the cluster's postgresql parameters come from (operator spec, mounted postgresql.conf) and restart the StatefulSet");
      return false;
    }
    if (wanted <= now) {
      findings.add("max_connections is already " + now + "; " + wanted + " is not a raise, so it was left alone");
      return false;
    }
    if ("command line".equals(diagnosis.maxConnectionsSource())) {
      findings.add("max_connections " + now + " is set on the server's command line, which overrides ALTER SYSTEM:"
          + " change it where the server is started (e.g. pg_ctl -o, the service unit)");
      return false;
    }
    return true;
  }

  private void planSteps(int idleMinutes, boolean terminate, boolean restartApps, boolean raise) {
    plan.add("diagnose: " + diagnosis.usage().describe() + "; by state " + diagnosis.byState());
    if (terminate) {
      plan.add("gate " + TERMINATE_GATE + ": wait for approval");
      plan.add("terminate " + diagnosis.idle().stream().map(IdleBackend::describe).collect(Collectors.joining(", ")));
      plan.add("re-check connections");
    } else {
      findings.add("no client session has been idle for more than " + idleMinutes
          + " minutes (superusers' and this service's own are never ended): nothing to terminate");
    }
    if (restartApps) {
      plan.add("gate " + RESTART_GATE + ": wait for approval");
      plan.add("rollout restart " + String.join(", ", diagnosis.deployments()));
      plan.add("re-check connections");
    } else if (diagnosis.hosting() != Hosting.KUBERNETES) {
      findings.add("rollout restart of the applications does not apply on " + diagnosis.hosting()
          + " hosting: restart the applications' connection pools yourself if they hold idle connections");
    } else {
      findings.add("no application deployments are configured for this target: none restarted");
    }
    if (raise) {
      plan.add("gate " + MAX_CONNECTIONS_GATE + ": wait for approval");
      plan.add("ALTER SYSTEM SET max_connections = " + request.maxConnections() + "; pg_ctl restart -m fast");
      plan.add("re-check connections");
    }
  }

  private void recheck(String after) {
    RunProgress.enter("recheck", "Checking connections " + after);
    checks.add(after + ": " + quick.recheck(request.target()).describe());
  }

  private String lastUsage() {
    return checks.isEmpty() ? diagnosis.usage().describe() : checks.get(checks.size() - 1);
  }

  private GateRequest gateRequest(String gateId, String action, String why) {
    return new GateRequest(gateId, action, "target " + request.target(), why, GATE_TIMEOUT, OnTimeout.ABORT);
  }

  private GateOutcome ask(GateRequest gateRequest) {
    GateOutcome outcome = gate.await(gateRequest);
    decisions.add(outcome);
    return outcome;
  }

  private RelieveResult rejected(GateOutcome outcome) {
    String reason = outcome.refusal();
    RunProgress.enter("rejected", reason);
    return result(RelieveStatus.REJECTED, reason);
  }

  private RelieveResult result(RelieveStatus status, String reason) {
    return new RelieveResult(
        status, request.target(), diagnosis, List.copyOf(plan), List.copyOf(decisions), termination,
        List.copyOf(restarted), maxConnectionsSet, List.copyOf(checks), List.copyOf(findings), reason);
  }
}
