package io.pgrunbooks.workflows.replication;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.approval.GateRequest;
import io.pgrunbooks.workflows.approval.GatedRun;
import io.pgrunbooks.workflows.approval.OnTimeout;
import io.pgrunbooks.workflows.common.RunProgress;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The scenario, step by step. The four checks are read-only and run straight away; the fix of each
 * replica is decided from them ({@link RepairPlanner}), shown at its own gate and, once approved,
 * followed by a re-check that samples the lag until it is caught up or the re-check's time is up.
 * A rejected (or, after 30 minutes, undecided) gate ends the run there, its fix not made.
 */
public class RepairReplicationLagWorkflowImpl extends GatedRun implements RepairReplicationLagWorkflow {
  /** An incident's picture goes stale: a gate nobody decides on within this ends the run. */
  static final Duration GATE_TIMEOUT = Duration.ofMinutes(30);

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final ReplicationActivities quick = Workflow.newActivityStub(ReplicationActivities.class, ReplicationTimeouts.QUICK);
  private final ReplicationActivities starting = Workflow.newActivityStub(ReplicationActivities.class, ReplicationTimeouts.START);
  private final ReplicationActivities copying = Workflow.newActivityStub(ReplicationActivities.class, ReplicationTimeouts.REINITIALIZE);

  private final List<String> plan = new ArrayList<>();
  private final List<GateOutcome> decisions = new ArrayList<>();
  private final List<String> actions = new ArrayList<>();
  private final List<LagSample> samples = new ArrayList<>();
  private final List<String> checks = new ArrayList<>();
  private final List<String> findings = new ArrayList<>();
  private final List<Boolean> caughtUp = new ArrayList<>();
  private ReplicationRequest request;
  private PrimaryReplication primary;
  private List<ReplicaStatus> replicas = List.of();
  private List<PortCheck> connectivity = List.of();
  private ArchiverStatus archiver;
  private List<ReplicaRepair> repairs = List.of();

  @Override
  public ReplicationResult repair(ReplicationRequest request) {
    this.request = request;
    gate.requestedBy(request.requestedBy());
    String target = request.target();

    // 1. Check replication lag (on the primary: pg_stat_replication, and the slots).
    RunProgress.enter("check-replication-lag", "Reading pg_stat_replication and the replication slots on " + target + "'s primary");
    primary = quick.checkReplicationLag(target);

    // 2. Check replica status (on each replica).
    RunProgress.enter("check-replica-status", "Asking each replica of " + target + " how far it has received and replayed");
    replicas = quick.checkReplicaStatus(target, request.replica(), primary.currentLsn());

    // 3. Check network connectivity between primary and replica (a TCP connect from the worker).
    RunProgress.enter("check-connectivity", "Connecting to the primary's and each replica's port");
    connectivity = quick.checkConnectivity(target);

    // 4. Check WAL archiving if configured.
    RunProgress.enter("check-wal-archiving", "Reading pg_stat_archiver on the primary");
    archiver = quick.checkWalArchiving(target);

    diagnose();
    if (request.dryRun()) {
      RunProgress.enter("planned", "Dry run: nothing was changed; the plan is in the result");
      return result(ReplicationStatus.PLANNED, null);
    }
    if (repairs.isEmpty()) {
      RunProgress.enter("done", "No replica needs a fix this runbook can make; see the findings");
      return result(ReplicationStatus.NOTHING_TO_DO, null);
    }

    // 5. If replication is broken: per replica, the fix its facts call for, each approved, then re-checked.
    for (ReplicaRepair repair : repairs) {
      ReplicaStatus replica = replica(repair.replica());
      String stamp = STAMP.format(Instant.ofEpochMilli(Workflow.currentTimeMillis()));
      GateOutcome decision = ask(new GateRequest(
          repair.kind().gateId(), action(repair, replica, stamp), "target " + target + ", replica " + replica.name(),
          repair.why(), GATE_TIMEOUT, OnTimeout.ABORT));
      if (!decision.approved()) {
        return rejected(decision);
      }
      RunProgress.enter(repair.kind().gateId(), "Carrying out " + repair.kind().gateId() + " on " + replica.name());
      switch (repair.kind()) {
        case START -> actions.add(starting.startReplica(target, replica.name(), replica.podUid()));
        case RESUME_REPLAY -> actions.add(quick.resumeReplay(target, replica.name()));
        case REINITIALIZE -> actions.add(copying.reinitializeReplica(target, replica.name(), stamp).details());
      }
      // 6. Wait for the replica to sync: the lag is sampled until caught up or the re-check's time is up.
      recheck(repair);
    }

    boolean all = caughtUp.stream().allMatch(Boolean::booleanValue);
    RunProgress.enter("done", all ? "Every repaired replica caught up" : "NOT every repaired replica caught up: " + String.join("; ", checks));
    return result(ReplicationStatus.DONE, null);
  }

  /** Findings from the four checks, the fixes, and the plan. */
  private void diagnose() {
    plan.add("checked: " + primary.standbys().size() + " standby(s) connected to the primary at " + primary.currentLsn()
        + ", " + replicas.size() + " replica(s) asked, " + connectivity.size() + " port(s) tried, archiving read");
    primary.standbys().forEach(s -> findings.add("primary sees standby " + s.describe()));
    primary.standbys().stream()
        .filter(s -> replicas.stream().noneMatch(r -> r.name().equals(s.applicationName())))
        .filter(s -> request.replica() == null)
        .forEach(s -> findings.add("standby " + s.applicationName() + " streams from the primary but is not configured as a replica"
            + " of this target (its application_name matches no replica name): not checked from its side"));
    primary.slots().stream().filter(s -> !s.active())
        .forEach(s -> findings.add("slot " + s.name() + " is inactive" + (s.lost() ? " and LOST" : "")
            + (s.retainedBytes() == null ? "" : ", holding " + s.retainedBytes() + " bytes of WAL on the primary")));
    replicas.forEach(r -> findings.add("replica " + r.describe()));
    connectivity.stream().filter(p -> !p.open()).forEach(p -> findings.add("port check: " + p.describe()));
    if (archiver.stuck()) {
      findings.add(archiver.describe() + ": the primary keeps every unarchived segment, its disk fills; a replica that"
          + " restores from the archive gets nothing new (fix archive_command; never delete pg_wal files by hand)");
    }
    repairs = RepairPlanner.plan(primary, replicas, request.maxLagBytesOrDefault(), findings);
    for (ReplicaRepair repair : repairs) {
      plan.add("gate " + repair.kind().gateId() + " for " + repair.replica() + ": wait for approval (" + repair.why() + ")");
      plan.add(action(repair, replica(repair.replica()), "<stamp>"));
      plan.add("re-check: sample " + repair.replica() + "'s lag every " + request.sampleSecondsOrDefault() + " s for up to "
          + request.recheckMinutesOrDefault() + " min, until it is at most " + request.maxLagBytesOrDefault() + " bytes behind");
    }
  }

  /** Exactly what a fix does to what, for its gate. */
  private String action(ReplicaRepair repair, ReplicaStatus r, String stamp) {
    boolean kubernetes = primary.hosting() == Hosting.KUBERNETES;
    return switch (repair.kind()) {
      case START -> kubernetes
          ? "delete pod " + r.pod() + " (uid " + r.podUid() + ") so that its StatefulSet recreates it with the same volume"
              + " (the seed's kubectl delete pod)"
          : "pg_ctl start of replica " + r.name() + "'s data directory " + r.dataDirectory();
      case RESUME_REPLAY -> "select pg_wal_replay_resume() on replica " + r.name() + " (" + r.endpoint() + ")";
      case REINITIALIZE -> kubernetes
          ? "delete the volume claim of pod " + r.pod() + " and then the pod: its StatefulSet recreates both and the"
              + " replica's image copies the primary anew; everything on that volume is lost (a replica is a copy,"
              + " the primary keeps all data)"
          : "stop replica " + r.name() + " if it runs; move its data directory " + r.dataDirectory() + " aside to "
              + r.dataDirectory() + ".pre_reinit_" + stamp + " (kept, never deleted); pg_basebackup -R -X stream from the primary"
              + (r.slot() == null ? "" : " with slot " + r.slot() + " (dropped first when lost, created anew)")
              + " into " + r.dataDirectory() + "; carry its own configuration over; start it";
    };
  }

  private void recheck(ReplicaRepair repair) {
    String name = repair.replica();
    int interval = request.sampleSecondsOrDefault();
    long max = request.maxLagBytesOrDefault();
    long started = Workflow.currentTimeMillis();
    long deadline = started + Duration.ofMinutes(request.recheckMinutesOrDefault()).toMillis();
    List<LagSample> mine = new ArrayList<>();
    while (true) {
      RunProgress.enter("recheck", "Sampling " + name + "'s lag (" + (mine.size() + 1) + ")"
          + (mine.isEmpty() ? "" : ", last " + mine.get(mine.size() - 1).describe()));
      LagSample sample = quick.sampleLag(request.target(), name);
      mine.add(sample);
      samples.add(sample);
      if (caughtUp(sample, max) || Workflow.currentTimeMillis() + interval * 1000L > deadline) {
        break;
      }
      Workflow.sleep(Duration.ofSeconds(interval));
    }
    LagSample last = mine.get(mine.size() - 1);
    boolean ok = caughtUp(last, max);
    caughtUp.add(ok);
    long seconds = (Workflow.currentTimeMillis() - started) / 1000;
    checks.add(name + " after " + repair.kind().gateId() + ": " + trend(mine) + " over " + mine.size() + " sample(s) in "
        + seconds + " s; " + (ok
            ? "caught up (streaming, at most " + max + " bytes behind): it helped"
            : "NOT caught up within " + request.recheckMinutesOrDefault() + " min (last: " + last.describe() + ")"));
  }

  private static boolean caughtUp(LagSample s, long max) {
    return s.reachable() && "streaming".equals(s.walReceiverStatus()) && s.lagBytes() != null && s.lagBytes() <= max;
  }

  /** "lag 12345 -> 0 bytes (falling)", from the first to the last sample that had a lag. */
  static String trend(List<LagSample> samples) {
    List<Long> lags = samples.stream().map(LagSample::lagBytes).filter(Objects::nonNull).toList();
    if (lags.isEmpty()) {
      return "no lag measured (" + samples.stream().map(LagSample::describe).distinct().collect(Collectors.joining(", ")) + ")";
    }
    long first = lags.get(0);
    long last = lags.get(lags.size() - 1);
    String direction = last < first ? "falling" : last > first ? "rising" : "flat";
    return "lag " + first + " -> " + last + " bytes (" + direction + ")";
  }

  private ReplicaStatus replica(String name) {
    return replicas.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  private GateOutcome ask(GateRequest gateRequest) {
    GateOutcome outcome = gate.await(gateRequest);
    decisions.add(outcome);
    return outcome;
  }

  private ReplicationResult rejected(GateOutcome outcome) {
    String reason = "gate " + outcome.gateId() + " " + ("timeout".equals(outcome.decidedBy()) ? "timed out" : "rejected by " + outcome.decidedBy())
        + (outcome.comment() == null ? "" : ": " + outcome.comment()) + "; its fix and the ones after it were not made";
    RunProgress.enter("rejected", reason);
    return result(ReplicationStatus.REJECTED, reason);
  }

  private ReplicationResult result(ReplicationStatus status, String reason) {
    return new ReplicationResult(
        status, request.target(), primary, List.copyOf(replicas), List.copyOf(connectivity), archiver, List.copyOf(plan),
        List.copyOf(repairs), List.copyOf(decisions), List.copyOf(actions), List.copyOf(samples), List.copyOf(checks),
        caughtUp.isEmpty() ? null : caughtUp.stream().allMatch(Boolean::booleanValue), List.copyOf(findings), reason);
  }
}
