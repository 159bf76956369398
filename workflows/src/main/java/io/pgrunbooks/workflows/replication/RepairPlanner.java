package io.pgrunbooks.workflows.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides each replica's fix from the diagnosis, and says in the findings why a replica gets none.
 * The seed's one fix ("if replication is broken, reinitialize replica" by deleting the pod) is split
 * by cause: a pod delete on a StatefulSet restarts the replica with the same volume, which cures a
 * stopped or hung server but never a replica whose WAL is gone from the primary; that one needs a
 * new copy of the primary, and a paused replay needs neither.
 */
final class RepairPlanner {
  private RepairPlanner() {}

  static List<ReplicaRepair> plan(
      PrimaryReplication primary, List<ReplicaStatus> replicas, long maxLagBytes, List<String> findings) {
    List<ReplicaRepair> repairs = new ArrayList<>();
    for (ReplicaStatus r : replicas) {
      Optional<SlotStatus> slot = primary.slots().stream().filter(s -> s.name().equals(r.slot())).findFirst();
      boolean walGone = slot.map(SlotStatus::lost).orElse(false) || r.walRemoved();
      String gone = slot.filter(SlotStatus::lost).isPresent()
          ? "its slot " + r.slot() + " on the primary is lost (the WAL it needs was removed)"
          : "its log says the WAL segment it needs has already been removed from the primary";
      if (r.slot() != null && slot.isEmpty()) {
        findings.add(r.name() + ": its slot " + r.slot() + " does not exist on the primary (streaming fails until it does;"
            + " a reinitialization creates it)");
      }
      if (!r.reachable()) {
        if (Boolean.TRUE.equals(r.serverRunning())) {
          findings.add(r.name() + ": " + r.describe() + "; it runs but refuses connections: read its log (not restarted"
              + " automatically while it runs, it may be recovering)");
        } else if (r.serverRunning() == null || (r.dataDirectory() == null && r.pod() == null)) {
          findings.add(r.name() + ": " + r.describe() + "; no placement is configured for it, so it cannot be started"
              + " from here (pgrunbooks.targets.<target>.replication.replicas)");
        } else if (walGone) {
          addReinitialize(repairs, findings, r, "it is down and " + gone);
        } else {
          repairs.add(new ReplicaRepair(r.name(), RepairKind.START, "it is down: " + r.error()));
        }
        continue;
      }
      if (!Boolean.TRUE.equals(r.inRecovery())) {
        findings.add(r.name() + " is NOT in recovery: it was promoted and is no replica any more; making it one again"
            + " is a decision for a person (reinitialize it from the current primary)");
      } else if (Boolean.TRUE.equals(r.replayPaused())) {
        repairs.add(new ReplicaRepair(r.name(), RepairKind.RESUME_REPLAY,
            "its WAL replay is paused (pg_wal_replay_pause() or a recovery target), so it falls behind"
                + (r.lagBytes() == null ? "" : ": " + r.lagBytes() + " bytes")));
      } else if (!r.streaming() && walGone) {
        addReinitialize(repairs, findings, r, "it does not stream and " + gone);
      } else if (!r.streaming()) {
        findings.add(r.name() + ": " + r.describe() + "; not streaming, yet its WAL is still on the primary: check its"
            + " primary_conninfo, the primary's pg_hba.conf for replication, the network (see connectivity) and its log");
      } else if (r.lagBytes() != null && r.lagBytes() > maxLagBytes) {
        findings.add(r.name() + " streams and is " + r.lagBytes() + " bytes behind: it is catching up by itself;"
            + " a lag that stays high points at the replica's disk or CPU, or long queries holding replay back");
      } else {
        findings.add(r.name() + " streams and is caught up (" + r.lagBytes() + " bytes behind)");
      }
    }
    return repairs;
  }

  private static void addReinitialize(List<ReplicaRepair> repairs, List<String> findings, ReplicaStatus r, String why) {
    if (r.reinitializeBlocker() != null) {
      findings.add(r.name() + " must be reinitialized (" + why + ") but not by this runbook: " + r.reinitializeBlocker());
    } else {
      repairs.add(new ReplicaRepair(r.name(), RepairKind.REINITIALIZE, why + "; streaming cannot catch up"));
    }
  }
}
