package io.pgrunbooks.workflows.disk;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.approval.GateRequest;
import io.pgrunbooks.workflows.approval.GatedRun;
import io.pgrunbooks.workflows.approval.OnTimeout;
import io.pgrunbooks.workflows.common.RunProgress;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The scenario, step by step. Read-only steps run straight away; each changing step has its own
 * gate showing exactly what it will do to what; a rejected (or, after 30 minutes, undecided) gate
 * ends the run there, its step not done. After every change {@code df} runs again and the run says
 * how much it freed and whether use is now under the target's disk-warn-percent.
 *
 * <p>Corrections of the seed: its {@code pg_switch_wal()} adds a segment and frees nothing, and
 * {@code find pg_wal -name "*.ready" -mmin +60 -delete} deletes the markers of segments the WAL
 * archive has not received yet: the archiver then never ships them, and point-in-time recovery
 * across them becomes impossible. WAL stays in pg_wal for a reason (archiving failing, a replication
 * slot nobody consumes, wal_keep_size); this run finds that reason (pg_stat_archiver with the failing
 * segment and archive_command, pg_replication_slots with the bytes each retains) and never deletes
 * anything under pg_wal. An abandoned slot may be dropped behind its own gate. Its {@code find log
 * -name "*.log" -mtime +7 -delete} becomes the server's own log_directory and log_filename pattern,
 * the files listed by name and size in the gate and deleted exactly as listed. VACUUM FULL (an
 * ACCESS EXCLUSIVE lock for its whole duration) is proposed only in a maintenance window; outside
 * one, plain VACUUM.
 */
public class ReclaimDiskSpaceWorkflowImpl extends GatedRun implements ReclaimDiskSpaceWorkflow {
  /** An incident's picture goes stale: a gate nobody decides on within this ends the run. */
  static final Duration GATE_TIMEOUT = Duration.ofMinutes(30);

  /** A table counts as bloated when at least this share of its rows is dead (autovacuum's default scale factor). */
  static final double BLOATED_DEAD_PERCENT = 20;

  /** ... and it has at least this many dead rows: rewriting small tables frees nothing worth a lock. */
  static final long BLOATED_MIN_DEAD_TUPLES = 10_000;

  private final DiskActivities quick = Workflow.newActivityStub(DiskActivities.class, DiskTimeouts.QUICK);
  private final DiskActivities vacuum = Workflow.newActivityStub(DiskActivities.class, DiskTimeouts.VACUUM);

  private final List<String> plan = new ArrayList<>();
  private final List<GateOutcome> decisions = new ArrayList<>();
  private final List<String> checks = new ArrayList<>();
  private final List<String> findings = new ArrayList<>();
  private final List<String> droppedSlots = new ArrayList<>();
  private final List<TableVacuum> vacuums = new ArrayList<>();
  private DiskRequest request;
  private DiskBreakdown breakdown;
  private WalRetention wal;
  private OldServerLogs oldLogs;
  private DataVolume volume;
  private List<BloatedTable> largest = List.of();
  private LogDeletion logDeletion;
  private DataVolume expanded;
  private DiskCheck last;

  @Override
  public ReclaimResult reclaim(DiskRequest request) {
    this.request = request;
    gate.requestedBy(request.requestedBy());
    String target = request.target();

    // 1. Check disk usage breakdown (df -h; du -sh data/*), with every database's size.
    RunProgress.enter("diagnose", "Measuring the data directory's disk on " + target);
    breakdown = quick.measureDiskUsage(target);
    last = breakdown.usage();

    // 2. "Clean up old WAL files if safe to do so": instead, why WAL piles up (archiver, slots).
    RunProgress.enter("diagnose", "Looking for what keeps WAL in pg_wal on " + target);
    wal = quick.checkWalRetention(target);
    List<ReplicationSlotRetention> slots = planSlots();

    // 3. Clean old log files: the server's own, older than the retention.
    RunProgress.enter("diagnose", "Listing server log files older than " + request.logRetentionDaysOrDefault() + " days");
    oldLogs = quick.findOldServerLogs(target, request.logRetentionDaysOrDefault());
    boolean deleteLogs = !oldLogs.files().isEmpty();

    // 4. If critically low on space, temporarily increase the PV size (kubernetes).
    boolean expand = planExpansion();

    // 5. Vacuum (full) on large tables: the largest, with their dead rows.
    RunProgress.enter("diagnose", "Finding the largest tables and their dead rows");
    largest = quick.findLargestTables(target);
    List<BloatedTable> bloated = planVacuum();

    planSteps(slots, deleteLogs, expand, bloated);
    if (request.dryRun()) {
      RunProgress.enter("planned", "Dry run: nothing was changed; the plan is in the result");
      return result(ReclaimStatus.PLANNED, null);
    }
    if (slots.isEmpty() && !deleteLogs && !expand && bloated.isEmpty()) {
      RunProgress.enter("done", "Nothing this run may change: " + last.describe());
      return result(ReclaimStatus.NOTHING_TO_DO, null);
    }

    // 2 (change). Gate, then drop the abandoned replication slots.
    if (!slots.isEmpty()) {
      GateOutcome decision = ask(gateRequest(
          DROP_SLOT_GATE,
          "drop replication slot(s) " + slots.stream().map(ReplicationSlotRetention::describe).collect(Collectors.joining("; "))
              + " with pg_drop_replication_slot (each only if still inactive): PostgreSQL may then remove the WAL they retain,"
              + " and the replica or decoder using each slot can no longer catch up: it will need reinitializing (a new base backup)",
          "inactive slots keep " + Bytes.human(slots.stream().mapToLong(ReplicationSlotRetention::retainedBytes).sum())
              + " of WAL in pg_wal; disk is at " + last.describe()));
      if (!decision.approved()) {
        return rejected(decision);
      }
      RunProgress.enter("drop-replication-slot", "Dropping " + slots.size() + " replication slot(s)");
      for (ReplicationSlotRetention slot : slots) {
        droppedSlots.add(slot.name() + ": " + quick.dropReplicationSlot(target, slot.name()));
      }
      recheck("after dropping replication slot(s) " + slots.stream().map(ReplicationSlotRetention::name).toList()
          + " (their WAL goes at the next checkpoint)");
    }

    // 3 (change). Gate, then delete exactly the listed log files.
    if (deleteLogs) {
      GateOutcome decision = ask(gateRequest(
          DELETE_LOGS_GATE,
          "delete " + oldLogs.files().size() + " server log file(s) (" + Bytes.human(oldLogs.totalBytes()) + ") from "
              + oldLogs.directory() + ", each last modified more than " + oldLogs.retentionDays() + " days ago: "
              + oldLogs.files().stream().map(LogFile::describe).collect(Collectors.joining(", "))
              + "; a file written since the listing or gone is skipped",
          "disk is at " + last.describe()));
      if (!decision.approved()) {
        return rejected(decision);
      }
      RunProgress.enter("delete-old-logs", "Deleting " + oldLogs.files().size() + " old server log file(s)");
      logDeletion = quick.deleteOldServerLogs(target, oldLogs);
      recheck("after deleting " + logDeletion.deleted().size() + " old server log file(s) ("
          + Bytes.human(logDeletion.freedBytes()) + ")");
    }

    // 4 (change). Gate, then set the claim's storage request.
    if (expand) {
      GateOutcome decision = ask(gateRequest(
          EXPAND_GATE,
          "set spec.resources.requests.storage of PersistentVolumeClaim " + volume.namespace() + "/" + volume.claim()
              + " from " + volume.requested() + " to " + request.expandTo() + " (storage class " + volume.storageClass()
              + " allows expansion); a volume cannot be shrunk again",
          "disk is at " + last.describe()));
      if (!decision.approved()) {
        return rejected(decision);
      }
      RunProgress.enter("expand-volume", "Growing " + volume.claim() + " to " + request.expandTo());
      expanded = quick.expandDataVolume(target, volume.claim(), request.expandTo());
      recheck("after asking for " + expanded.requested() + " on " + expanded.claim() + ": " + expanded.expansionState());
    }

    // 5 (change). Gate, then VACUUM FULL (maintenance window) or plain VACUUM of the bloated tables.
    if (!bloated.isEmpty()) {
      boolean full = request.inMaintenanceWindow();
      GateOutcome decision = ask(gateRequest(full ? VACUUM_FULL_GATE : VACUUM_GATE, vacuumAction(bloated, full),
          "dead rows take space in the largest tables; disk is at " + last.describe()));
      if (!decision.approved()) {
        return rejected(decision);
      }
      RunProgress.enter(full ? "vacuum-full" : "vacuum", (full ? "VACUUM FULL of " : "VACUUM of ") + bloated.size() + " table(s)");
      vacuums.addAll(vacuum.vacuumTables(target, bloated, full));
      recheck("after " + vacuums.stream().map(TableVacuum::describe).collect(Collectors.joining("; ")));
    }

    // 6. The outcome: disk use under the threshold or not.
    RunProgress.enter("done", checks.get(checks.size() - 1));
    return result(ReclaimStatus.DONE, null);
  }

  /** Findings about WAL; the slots step 2 would drop (only when asked for). */
  private List<ReplicationSlotRetention> planSlots() {
    findings.add("pg_wal holds " + wal.walSegments() + " file(s), " + Bytes.human(wal.walBytes()) + " (max_wal_size "
        + wal.maxWalSize() + ", wal_keep_size " + wal.walKeepSize() + ", max_slot_wal_keep_size " + wal.maxSlotWalKeepSize()
        + "); nothing under pg_wal is ever deleted by this run");
    if (wal.archivingStuck()) {
      findings.add("WAL archiving is STUCK: archive_command '" + wal.archiveCommand() + "' fails on segment "
          + wal.lastFailedWal() + " (" + wal.failedCount() + " failure(s), last at " + wal.lastFailedTime()
          + ", last success " + (wal.lastArchivedTime() == null ? "never" : wal.lastArchivedWal() + " at " + wal.lastArchivedTime())
          + "); " + wal.readySegments() + " segment(s) wait to be archived and stay in pg_wal until it works:"
          + " fix the archive (destination reachable, credentials, space; the server log says why the command fails),"
          + " never delete the .ready files or the segments");
    } else if (wal.readySegments() > 0) {
      findings.add(wal.readySegments() + " segment(s) wait to be archived (archiving is not failing: it may be catching up)");
    }
    List<ReplicationSlotRetention> inactive = wal.inactiveRetaining();
    for (ReplicationSlotRetention slot : inactive) {
      findings.add("replication slot " + slot.describe() + ": its consumer is gone, so pg_wal keeps growing for it"
          + (request.dropsInactiveSlots() ? "" : "; run again with dropInactiveSlots to drop it (behind approval)"));
    }
    return request.dropsInactiveSlots() ? inactive : List.of();
  }

  /** Whether step 4 applies; when not, says why (and, on a host, how to grow the disk by hand). */
  private boolean planExpansion() {
    if (breakdown.hosting() != Hosting.KUBERNETES) {
      findings.add("growing the volume is not done by this run on " + breakdown.hosting() + " hosting: grow the file system of "
          + last.path() + " by hand (e.g. lvextend -r -L +50G on LVM; or enlarge the cloud disk, then growpart and"
          + " resize2fs / xfs_growfs), or move pg_wal or the log directory to another disk");
      return false;
    }
    if (request.expandTo() == null || request.expandTo().isBlank()) {
      return false;
    }
    RunProgress.enter("diagnose", "Checking whether the data volume can grow to " + request.expandTo());
    volume = quick.describeDataVolume(request.target(), request.expandTo());
    if (volume.refusal() != null) {
      findings.add("the volume is not grown: " + volume.refusal());
      return false;
    }
    return true;
  }

  /** The tables step 5 would vacuum; the largest that are bloated and (for FULL) fit into the free space. */
  private List<BloatedTable> planVacuum() {
    List<BloatedTable> bloated = new ArrayList<>();
    for (BloatedTable t : largest) {
      if (t.deadPercent() < BLOATED_DEAD_PERCENT || t.deadTuples() < BLOATED_MIN_DEAD_TUPLES) {
        continue;
      }
      if (request.inMaintenanceWindow() && t.totalBytes() >= last.availableBytes()) {
        findings.add("VACUUM FULL of " + t.describe() + " needs about " + Bytes.human(t.totalBytes()) + " free to write the new copy,"
            + " only " + Bytes.human(last.availableBytes()) + " are: not proposed (free space first, or pg_repack to another tablespace)");
        continue;
      }
      bloated.add(t);
    }
    if (!bloated.isEmpty() && !request.inMaintenanceWindow()) {
      findings.add("outside a maintenance window only plain VACUUM is proposed: it makes dead rows' space reusable but gives"
          + " little back to the file system; VACUUM FULL (run with maintenanceWindow) does");
    }
    return bloated;
  }

  private static String vacuumAction(List<BloatedTable> tables, boolean full) {
    String names = tables.stream().map(BloatedTable::describe).collect(Collectors.joining(", "));
    if (full) {
      return "VACUUM FULL of " + names + ", one table at a time: each is rewritten under an ACCESS EXCLUSIVE lock held for its"
          + " whole duration (no reads or writes of that table meanwhile) and needs free disk of about the table's size"
          + " for the new copy (" + Bytes.human(tables.stream().mapToLong(BloatedTable::totalBytes).max().orElse(0))
          + " for the largest); a table whose lock is not granted within seconds is skipped";
    }
    return "VACUUM (not FULL) of " + names + ", one table at a time: a SHARE UPDATE EXCLUSIVE lock (reads and writes go on);"
        + " the dead rows' space becomes reusable, only empty pages at a table's end go back to the file system";
  }

  private void planSteps(List<ReplicationSlotRetention> slots, boolean deleteLogs, boolean expand, List<BloatedTable> bloated) {
    plan.add("diagnose: " + last.describe() + "; data directory "
        + breakdown.dataDirectory().stream().map(SizedEntry::describe).collect(Collectors.joining(", "))
        + "; databases " + breakdown.databases().stream().map(SizedEntry::describe).collect(Collectors.joining(", ")));
    if (!slots.isEmpty()) {
      plan.add("gate " + DROP_SLOT_GATE + ": wait for approval");
      plan.add("drop replication slot(s) " + slots.stream().map(ReplicationSlotRetention::name).toList());
      plan.add("re-check disk");
    }
    if (deleteLogs) {
      plan.add("gate " + DELETE_LOGS_GATE + ": wait for approval");
      plan.add("delete " + oldLogs.files().stream().map(LogFile::name).toList() + " from " + oldLogs.directory());
      plan.add("re-check disk");
    } else {
      findings.add("no server log file in " + oldLogs.directory() + " matching " + oldLogs.pattern() + " is older than "
          + oldLogs.retentionDays() + " days (logging_collector " + oldLogs.loggingCollector() + "): nothing to delete");
    }
    if (expand) {
      plan.add("gate " + EXPAND_GATE + ": wait for approval");
      plan.add("set the storage request of " + volume.namespace() + "/" + volume.claim() + " to " + request.expandTo());
      plan.add("re-check disk and the claim");
    }
    if (!bloated.isEmpty()) {
      boolean full = request.inMaintenanceWindow();
      plan.add("gate " + (full ? VACUUM_FULL_GATE : VACUUM_GATE) + ": wait for approval");
      plan.add((full ? "VACUUM FULL " : "VACUUM ") + bloated.stream().map(BloatedTable::describe).collect(Collectors.joining(", ")));
      plan.add("re-check disk and the tables' sizes");
    } else {
      findings.add("no table among the largest has at least " + BLOATED_DEAD_PERCENT + " % and " + BLOATED_MIN_DEAD_TUPLES
          + " dead rows: nothing to vacuum");
    }
  }

  private void recheck(String after) {
    RunProgress.enter("recheck", "Checking disk use " + after);
    DiskCheck now = quick.recheckDisk(request.target());
    long freed = last.usedBytes() - now.usedBytes();
    checks.add(after + ": used " + Bytes.human(last.usedBytes()) + " -> " + Bytes.human(now.usedBytes())
        + (freed > 0 ? " (" + Bytes.human(freed) + " freed)" : " (nothing freed)") + "; " + now.describe());
    last = now;
  }

  private GateRequest gateRequest(String gateId, String action, String why) {
    return new GateRequest(gateId, action, "target " + request.target(), why, GATE_TIMEOUT, OnTimeout.ABORT);
  }

  private GateOutcome ask(GateRequest gateRequest) {
    GateOutcome outcome = gate.await(gateRequest);
    decisions.add(outcome);
    return outcome;
  }

  private ReclaimResult rejected(GateOutcome outcome) {
    String reason = "gate " + outcome.gateId() + " " + ("timeout".equals(outcome.decidedBy()) ? "timed out" : "rejected by " + outcome.decidedBy())
        + (outcome.comment() == null ? "" : ": " + outcome.comment()) + "; its step and the ones after it were not done";
    RunProgress.enter("rejected", reason);
    return result(ReclaimStatus.REJECTED, reason);
  }

  private ReclaimResult result(ReclaimStatus status, String reason) {
    return new ReclaimResult(
        status, request.target(), breakdown, wal, oldLogs, volume, List.copyOf(largest), List.copyOf(plan), List.copyOf(decisions),
        List.copyOf(droppedSlots), logDeletion, expanded, List.copyOf(vacuums), List.copyOf(checks), List.copyOf(findings), reason);
  }
}
