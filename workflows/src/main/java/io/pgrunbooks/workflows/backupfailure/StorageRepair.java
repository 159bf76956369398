package io.pgrunbooks.workflows.backupfailure;

import static io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow.CLEAN_DUMPS_GATE;
import static io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow.EXPAND_GATE;
import static io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflowImpl.DISK_FULL_PERCENT;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.approval.ScenarioGates;
import io.pgrunbooks.workflows.assessment.AssessmentActivities;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.disk.Bytes;
import io.pgrunbooks.workflows.disk.DataVolume;
import io.pgrunbooks.workflows.disk.DiskActivities;
import io.pgrunbooks.workflows.common.RunProgress;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Scenario 3 of the backup-failure runbook, "Storage Issues" (workflow code): the backup pod's storage,
 * old dump files deleted behind the {@value RespondToBackupFailureWorkflow#CLEAN_DUMPS_GATE} gate, and the
 * data volume grown behind the {@value RespondToBackupFailureWorkflow#EXPAND_GATE} gate where its storage
 * class allows it; disk use re-checked after each change, saying whether it helped. Nothing at all runs
 * while storage is fine (the data directory under 90 % and no error
 * classified as storage), except on kubernetes where a backup Job failed for a reason no
 * pattern explains: its pod may have been evicted over ephemeral storage, which its log does not say.
 *
 * <p>Corrections of the seed:
 * <ul>
 *   <li>{@code find /var/lib/postgresql/data -name "*.backup" -mtime +7 -delete} walks the whole data
 *       directory, so it also deletes PostgreSQL's own backup history files in pg_wal ({@code
 *       000000010000000000000003.00000028.backup}, written by every base backup and read by archive
 *       cleanup and recovery), unlisted and unseen. Here only the top level of the data directory and of
 *       the target's configured local dump directory are looked at (never pg_wal or another directory
 *       PostgreSQL owns, never a name like a WAL backup history file's), only dump files' names (*.backup,
 *       *.dump, *.sql, *.sql.gz, *.tar, *.tar.gz) older than the target's dump retention (7 days unless
 *       configured); they are listed by name and size before the gate, the gate's action names them, and
 *       the deletion removes exactly that list: a file already gone is fine, one changed since the listing
 *       is skipped and reported.
 *   <li>{@code kubectl patch pvc postgres-data-postgres-primary-0 ... "200Gi"}: the claim is the one the
 *       primary pod mounts its data directory from (not a name in code), grown only when its storage class
 *       says allowVolumeExpansion (otherwise a finding saying so and why), only to the request's
 *       expandVolumeTo when that is larger than the current request, and only while the disk is still full
 *       after the cleanup (a volume cannot shrink again). The failure runbook's Scenario 5 activities do it.
 *   <li>"Check backup pod storage" ({@code kubectl describe pod -l job-name=postgres-backup-$(date)}):
 *       the newest Job labelled app=postgres-backup, whatever its date. On host hosting there is no backup
 *       pod, and this service's BackupDatabase stages nothing locally: pg_dump's output is encrypted and
 *       uploaded while it streams (multipart parts from memory), so the data directory's disk (where
 *       VerifyBackup's test restore also writes) is the only local space a backup depends on.
 * </ul>
 */
final class StorageRepair {
  private final StorageSpaceActivities storage =
      Workflow.newActivityStub(StorageSpaceActivities.class, BackupFailureTimeouts.QUICK);
  private final DiskActivities volumes = Workflow.newActivityStub(DiskActivities.class, BackupFailureTimeouts.QUICK);
  private final AssessmentActivities assessment = Workflow.newActivityStub(AssessmentActivities.class, BackupFailureTimeouts.QUICK);
  private final ScenarioGates gates;
  private final List<String> plan;
  private final List<String> actions;
  private final List<String> checks;
  private final List<String> findings;
  private BackupFailureRequest request;
  private boolean looked;
  private BackupPodStorage pod;
  private OldDumps oldDumps;
  private DumpDeletion deletion;
  private DataVolume volume;
  private DataVolume expanded;
  private StorageUsage last;

  StorageRepair(ScenarioGates gates, List<String> plan, List<String> actions, List<String> checks, List<String> findings) {
    this.gates = gates;
    this.plan = plan;
    this.actions = actions;
    this.checks = checks;
    this.findings = findings;
  }

  /** Bad input, before anything runs: expandVolumeTo must look like a Kubernetes quantity. */
  static void validate(BackupFailureRequest request) {
    String size = request.expandVolumeTo();
    if (size != null && !BackupFailureRequest.isStorageQuantity(size)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "expandVolumeTo must be a Kubernetes quantity such as 200Gi, got '" + size + "'", "InvalidBackupFailureRequest");
    }
  }

  /**
   * The scenario; adds STORAGE to {@code classes} when the disk is full or the backup pod ran out of
   * space. Returns the outcome of a gate that was not approved (the run ends there), else null.
   */
  GateOutcome resolve(
      BackupFailureRequest request, StorageUsage disk, Set<FailureClass> classes, List<ClassifiedError> classified, Hosting hosting) {
    this.request = request;
    this.last = disk;
    boolean diskFull = disk != null && disk.percentUsed() >= DISK_FULL_PERCENT;
    if (diskFull) {
      classes.add(FailureClass.STORAGE);
    }
    boolean unexplainedJob = hosting == Hosting.KUBERNETES && classified.stream().anyMatch(c -> c.failureClass() == FailureClass.UNKNOWN
        && c.error().source() != null && c.error().source().startsWith("kubernetes:"));
    if (!classes.contains(FailureClass.STORAGE) && !unexplainedJob) {
      return null; // storage is fine: not one step more
    }
    looked = true;
    // Check backup pod storage (kubernetes; on a host there is no backup pod, see the class's javadoc).
    if (hosting == Hosting.KUBERNETES) {
      RunProgress.enter("backup-pod-storage", "Reading the newest backup Job's pods and events for storage trouble");
      pod = FindingReads.read(findings, "backup pod storage", () -> storage.checkBackupPodStorage(request.target()));
      if (pod != null && pod.outOfSpace()) {
        classes.add(FailureClass.STORAGE);
        findings.add("backup pod storage: " + pod.describe() + "; the Job's container ran out of its own (ephemeral) storage:"
            + " raise the Job's ephemeral-storage limit or give it a volume (cleaning the data directory or growing its volume"
            + " does not help it); this run's backup streams to the store and needs no local space");
      } else if (pod != null) {
        findings.add("backup pod storage: " + pod.describe());
      }
    }
    if (!classes.contains(FailureClass.STORAGE)) {
      return null;
    }
    // Check disk usage (step 3's df of the data directory).
    if (!diskFull) {
      findings.add("storage: the data directory is at " + (disk == null ? "an unknown use (df failed)" : usage(disk))
          + ", not over the " + DISK_FULL_PERCENT + "% threshold: nothing is cleaned or grown there");
      return null;
    }
    findings.add("storage: the data directory is at " + usage(disk) + "; this run deletes old dump files"
        + (hosting == Hosting.KUBERNETES ? " and grows the data volume where its storage class allows it," : "")
        + " behind approval; for WAL kept by archiving or replication slots, server logs and bloat run the ReclaimDiskSpace runbook");
    GateOutcome refused = cleanOldDumps();
    return refused != null ? refused : expandVolume(hosting);
  }

  /** The part of the result; null when storage was fine and nothing was looked at. */
  StorageSpace report() {
    return looked ? new StorageSpace(pod, oldDumps, deletion, volume, expanded, last) : null;
  }

  // Clean up old backup files: listed, gated, deleted exactly as listed, re-checked.
  private GateOutcome cleanOldDumps() {
    String target = request.target();
    RunProgress.enter("old-dumps", "Listing old dump files in the data directory of " + target);
    oldDumps = FindingReads.read(findings, "old dump files", () -> storage.findOldDumpFiles(target));
    if (oldDumps == null) {
      return null;
    }
    oldDumps.problems().forEach(p -> findings.add("old dump files: " + p));
    if (oldDumps.files().isEmpty()) {
      findings.add("no dump file older than " + oldDumps.retentionDays() + " days in " + String.join(", ", oldDumps.directories())
          + ": nothing to clean");
      return null;
    }
    plan.add("gate " + CLEAN_DUMPS_GATE + ": wait for approval; delete " + oldDumps.files().stream().map(DumpFile::path).toList()
        + "; re-check disk use");
    if (request.dryRun()) {
      return null;
    }
    GateOutcome decision = gates.ask(CLEAN_DUMPS_GATE,
        "delete " + oldDumps.describe() + "; each last modified more than " + oldDumps.retentionDays() + " days ago (before "
            + oldDumps.cutoff() + "); nothing under pg_wal and no file PostgreSQL owns is touched; a file changed since this"
            + " listing is skipped",
        target, "backups fail for lack of space: the data directory is at " + usage(last));
    if (!decision.approved()) {
      return decision;
    }
    RunProgress.enter(CLEAN_DUMPS_GATE, "Deleting " + oldDumps.files().size() + " old dump file(s)");
    deletion = storage.deleteOldDumpFiles(target, oldDumps);
    actions.add(deletion.describe());
    recheck("after deleting " + deletion.deleted().size() + " old dump file(s)");
    return null;
  }

  // Increase storage if needed: kubernetes, a storage class that allows it, a size asked for, the disk still full.
  private GateOutcome expandVolume(Hosting hosting) {
    String target = request.target();
    String size = request.expandVolumeTo();
    if (last != null && last.percentUsed() < DISK_FULL_PERCENT) {
      if (size != null) {
        findings.add("the volume is not grown to " + size + ": the disk is under " + DISK_FULL_PERCENT + "% after the cleanup");
      }
      return null;
    }
    if (hosting != Hosting.KUBERNETES) {
      findings.add("growing the disk is not done on " + hosting + " hosting" + (size == null ? "" : " (expandVolumeTo is for kubernetes targets)")
          + ": grow the file system of " + last.path() + " by hand (e.g. lvextend -r on LVM; or enlarge the cloud disk, then"
          + " growpart and resize2fs / xfs_growfs)");
      return null;
    }
    RunProgress.enter("data-volume", "Checking whether the data directory's claim can grow" + (size == null ? "" : " to " + size));
    volume = FindingReads.read(findings, "the data volume", () -> volumes.describeDataVolume(target, size));
    if (volume == null) {
      return null;
    }
    if (size == null) {
      findings.add(volume.expandable()
          ? "the data volume can grow: storage class " + volume.storageClass() + " of " + volume.describe() + " allows expansion;"
              + " run again with expandVolumeTo (larger than " + volume.requested() + ") to grow it behind approval"
          : "the data volume cannot grow: " + volume.refusal());
      return null;
    }
    if (volume.refusal() != null) {
      findings.add("the volume is not grown: " + volume.refusal());
      return null;
    }
    plan.add("gate " + EXPAND_GATE + ": wait for approval; set the storage request of " + volume.namespace() + "/" + volume.claim()
        + " to " + size + (oldDumps != null && !oldDumps.files().isEmpty() ? " (only if the disk is still full after the cleanup)" : "")
        + "; re-check disk use and the claim");
    if (request.dryRun()) {
      return null;
    }
    GateOutcome decision = gates.ask(EXPAND_GATE,
        "set spec.resources.requests.storage of PersistentVolumeClaim " + volume.namespace() + "/" + volume.claim() + " from "
            + volume.requested() + " to " + size + " (storage class " + volume.storageClass() + " allows expansion); a volume"
            + " cannot be shrunk again",
        target, "backups fail for lack of space: the data directory is at " + usage(last));
    if (!decision.approved()) {
      return decision;
    }
    RunProgress.enter(EXPAND_GATE, "Growing " + volume.claim() + " to " + size);
    expanded = volumes.expandDataVolume(target, volume.claim(), size);
    actions.add("set the storage request of claim " + expanded.namespace() + "/" + expanded.claim() + " to " + expanded.requested()
        + ": " + expanded.expansionState());
    recheck("after asking for " + expanded.requested() + " on claim " + expanded.claim());
    return null;
  }

  private void recheck(String after) {
    RunProgress.enter("recheck", "Checking disk use " + after);
    StorageUsage now = FindingReads.read(findings, "disk use " + after, () -> assessment.checkDiskUsage(request.target()));
    if (now == null) {
      checks.add(after + ": disk use could not be re-checked");
      return;
    }
    long freed = last.usedBytes() - now.usedBytes();
    boolean helped = now.percentUsed() < last.percentUsed();
    checks.add(after + ": " + percent(last) + " -> " + usage(now) + (freed > 0 ? ", " + Bytes.human(freed) + " freed" : "")
        + (now.totalBytes() > last.totalBytes() ? ", the file system grew to " + Bytes.human(now.totalBytes()) : "")
        + "; " + (helped ? "it helped" : "it did not help (yet)") + ", "
        + (now.percentUsed() < DISK_FULL_PERCENT ? "now under" : "still not under") + " the " + DISK_FULL_PERCENT + "% threshold");
    last = now;
  }

  private static String percent(StorageUsage u) {
    return String.format(Locale.ROOT, "%.1f%%", u.percentUsed());
  }

  private static String usage(StorageUsage u) {
    return percent(u) + " used (" + Bytes.human(u.availableBytes()) + " free of " + Bytes.human(u.totalBytes()) + ") at " + u.path();
  }
}
