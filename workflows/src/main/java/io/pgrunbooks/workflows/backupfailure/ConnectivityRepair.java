package io.pgrunbooks.workflows.backupfailure;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.approval.ScenarioGates;
import io.pgrunbooks.workflows.common.FailureMessages;
import io.pgrunbooks.workflows.common.RunProgress;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

/**
 * Scenario 1's fix for a server that runs but does not answer, the seed's "Restart PostgreSQL if needed
 * (CAREFUL!)": on kubernetes {@code kubectl rollout restart statefulset} of the primary's StatefulSet,
 * waited for until rolled out; on host hosting {@code pg_ctl restart -m fast}. Each behind its gate, with
 * the service, pods and listen_addresses the check found in the gate's reason, and connectivity checked
 * again afterwards. A stopped host cluster is not this class's: it has its own gate (start-database).
 * Where there is nothing to restart (no StatefulSet, no host placement) the run says what to look at.
 */
final class ConnectivityRepair {
  /** Runs that reached Scenario 1 before this class existed wrote only a finding here: they replay that way. */
  static final String CHANGE_ID = "backup-failure-connectivity-repair";

  /**
   * What Scenario 1 ends with.
   *
   * @param connectivity the connectivity now (checked again after a restart)
   * @param refusal why the run stops here (a gate was rejected or timed out); null when it goes on
   */
  record Outcome(ConnectivityCheck connectivity, String refusal) {}

  private final BackupFailureActivities quick;
  private final DatabaseRestartActivities restarts =
      Workflow.newActivityStub(DatabaseRestartActivities.class, BackupFailureTimeouts.RESTART);
  private final DatabaseRestartActivities rollouts =
      Workflow.newActivityStub(DatabaseRestartActivities.class, BackupFailureTimeouts.ROLLOUT);
  private final ScenarioGates gates;
  private final List<String> plan;
  private final List<String> actions;
  private final List<String> checks;
  private final List<String> findings;

  ConnectivityRepair(
      ScenarioGates gates, BackupFailureActivities quick, List<String> plan, List<String> actions, List<String> checks,
      List<String> findings) {
    this.gates = gates;
    this.quick = quick;
    this.plan = plan;
    this.actions = actions;
    this.checks = checks;
    this.findings = findings;
  }

  /** For a server that does not answer and is not a stopped host cluster. */
  Outcome repair(BackupFailureRequest request, ConnectivityCheck connectivity) {
    if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      findings.add(findingWithoutRestart(connectivity));
      return new Outcome(connectivity, null);
    }
    if (connectivity.hosting() == Hosting.KUBERNETES) {
      return restartStatefulSet(request, connectivity);
    }
    if (Boolean.TRUE.equals(connectivity.serverRunning())) {
      return restartCluster(request, connectivity);
    }
    findings.add("the server does not answer (" + connectivity.describe() + ") and its state is unknown (the target has no"
        + " host placement): check listen_addresses, pg_hba.conf, the firewall and the endpoint in the target's configuration");
    return new Outcome(connectivity, null);
  }

  private Outcome restartStatefulSet(BackupFailureRequest request, ConnectivityCheck connectivity) {
    DatabaseService k8s = connectivity.kubernetes();
    if (k8s == null || !k8s.statefulSetExists()) {
      findings.add("the server does not answer (" + connectivity.describe() + "); there is no StatefulSet to restart:"
          + " check kubernetes.namespace and kubernetes.primary-pod of the target, and the pods (RecoverCrashedPod runbook)");
      return new Outcome(connectivity, null);
    }
    String where = k8s.namespace() + "/" + k8s.statefulSet();
    if (k8s.replicas() != null && k8s.replicas() == 0) {
      findings.add("the server does not answer: statefulset " + where + " is scaled to 0 replicas, and a restart starts no pod;"
          + " scale it back (kubectl scale statefulset --replicas=1) once whoever scaled it down agrees");
      return new Outcome(connectivity, null);
    }
    String gateId = RespondToBackupFailureWorkflow.RESTART_STATEFULSET_GATE;
    plan.add("gate " + gateId + ": wait for approval; kubectl rollout restart statefulset " + where
        + "; wait for the rollout; re-check connectivity");
    if (request.dryRun()) {
      return new Outcome(connectivity, null);
    }
    GateOutcome decision = gates.ask(gateId,
        "kubectl rollout restart statefulset " + where + ": its " + k8s.replicas() + " pod(s) replaced one by one (the database is"
            + " down while the primary's pod restarts and recovers); then wait up to 15 minutes for the rollout and check"
            + " connectivity again",
        request.target(), "backups cannot connect: " + connectivity.describe()
            + (k8s.healthy() ? "; the pods are ready and the service has ready endpoints, so a restart may not help: check"
                + " listen_addresses, NetworkPolicies and the target's endpoint first" : ""));
    if (!decision.approved()) {
      return new Outcome(connectivity, decision.refusal());
    }
    RunProgress.enter(gateId, "Restarting statefulset " + where + " and waiting for its rollout");
    // Decided once and kept in history: a retry of the activity, or a replay, passes the same values.
    String restartedAt = Instant.ofEpochMilli(Workflow.currentTimeMillis()).truncatedTo(ChronoUnit.SECONDS).toString();
    String token = Workflow.getInfo().getWorkflowId() + "/" + gateId;
    act("the rollout restart of statefulset " + where, () -> rollouts.rolloutRestartStatefulSet(request.target(), restartedAt, token));
    return recheck(request, "after the rollout restart of statefulset " + where);
  }

  private Outcome restartCluster(BackupFailureRequest request, ConnectivityCheck connectivity) {
    String gateId = RespondToBackupFailureWorkflow.RESTART_GATE;
    plan.add("gate " + gateId + ": wait for approval; pg_ctl restart -m fast; re-check connectivity");
    if (request.dryRun()) {
      return new Outcome(connectivity, null);
    }
    GateOutcome decision = gates.ask(gateId,
        "pg_ctl restart -m fast of the running cluster of target " + request.target()
            + (connectivity.serverIdentity() == null ? "" : " (" + connectivity.serverIdentity() + ")")
            + ": every session is disconnected and the server is down for seconds; then check connectivity again",
        request.target(), "the cluster runs but backups cannot connect: " + connectivity.describe()
            + "; a restart applies the configuration's listen_addresses and port, which a reload does not");
    if (!decision.approved()) {
      return new Outcome(connectivity, decision.refusal());
    }
    RunProgress.enter(gateId, "Restarting the cluster of " + request.target());
    act("pg_ctl restart", () -> restarts.restartUnansweringCluster(request.target(), connectivity.serverIdentity()));
    return recheck(request, "after restarting the cluster");
  }

  /** Runs a restart; one that fails is a finding, and connectivity is checked again whatever it did. */
  private void act(String what, Supplier<String> restart) {
    try {
      actions.add(restart.get());
    } catch (TemporalFailure e) {
      findings.add(what + " failed: " + FailureMessages.rootMessage(e));
    }
  }

  private Outcome recheck(BackupFailureRequest request, String label) {
    ConnectivityCheck now = quick.checkDatabaseConnectivity(request.target());
    checks.add(label + ": " + now.describe());
    return new Outcome(now, null);
  }

  /** What runs before {@link #CHANGE_ID} said instead of restarting. */
  private static String findingWithoutRestart(ConnectivityCheck connectivity) {
    if (connectivity.hosting() == Hosting.KUBERNETES) {
      return "the server does not answer (" + connectivity.describe() + "); on kubernetes this runbook does NOT restart the"
          + " statefulset (the seed's kubectl rollout restart): check the service and pods (RecoverCrashedPod runbook)";
    }
    return "the server does not answer (" + connectivity.describe() + ") although the cluster "
        + (connectivity.serverRunning() == null ? "state is unknown" : "runs")
        + ": check listen_addresses, pg_hba.conf, the firewall and the endpoint in the target's configuration";
  }
}
