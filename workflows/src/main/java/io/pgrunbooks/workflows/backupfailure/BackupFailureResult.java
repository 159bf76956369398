package io.pgrunbooks.workflows.backupfailure;

import io.pgrunbooks.workflows.alerts.AlertNotice;
import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.assessment.Readiness;
import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.common.ScenarioResult;
import java.util.List;

/**
 * What a run found and did.
 *
 * @param status how it ended
 * @param target the target
 * @param alert step 1 (null: not read)
 * @param jobStatus step 2 (null: not read)
 * @param readiness step 3, pg_isready (null: could not be checked)
 * @param disk step 3, disk use of the data directory (null: could not be checked)
 * @param classified step 4, every error found with its class and the evidence
 * @param classes step 4's distinct classes, plus those the checks of step 5 found, in order
 * @param connectivity step 5, scenario 1's last check (null: not done)
 * @param role step 5, scenario 2's last check (null: not done)
 * @param key step 5, scenario 5's check (null: not done)
 * @param store step 5, scenario 4's probe (null: not done)
 * @param plan the steps, as planned after the checks
 * @param decisions every gate's outcome, in order
 * @param actions each change made, in plain words
 * @param checks the re-check after each change, in order
 * @param findings what the run found and could not or would not do, for a person
 * @param backupMetadataKey step 6, the new backup run's metadata.json (null: none made)
 * @param backupChildId step 6, the BackupDatabases child's workflow id (null: none started)
 * @param verified step 6, whether VerifyBackup passed on the new backup
 * @param escalatedAt step 7, RFC 3339 when the escalation fired (null: it did not)
 * @param report step 8, the report in Markdown
 * @param reportUri where the report was stored (null: not stored)
 * @param reason why it stopped early or what failed (null when it did not)
 * @param storage step 5, scenario 3: the backup pod's storage, old dump files, the data volume (null:
 *     storage was fine, nothing was looked at)
 * @param alertNotices every alert notification recorded on the run (the first, repeats, the resolve), in order
 */
public record BackupFailureResult(
    BackupFailureStatus status,
    String target,
    BackupAlert alert,
    BackupJobStatus jobStatus,
    Readiness readiness,
    StorageUsage disk,
    List<ClassifiedError> classified,
    List<FailureClass> classes,
    ConnectivityCheck connectivity,
    BackupRoleCheck role,
    KeyCheck key,
    StoreProbe store,
    List<String> plan,
    List<GateOutcome> decisions,
    List<String> actions,
    List<String> checks,
    List<String> findings,
    String backupMetadataKey,
    String backupChildId,
    boolean verified,
    String escalatedAt,
    String report,
    String reportUri,
    String reason,
    StorageSpace storage,
    List<AlertNotice> alertNotices) implements ScenarioResult {

  /** A result without alert notices (results recorded before alerts were). */
  public BackupFailureResult(
      BackupFailureStatus status, String target, BackupAlert alert, BackupJobStatus jobStatus, Readiness readiness,
      StorageUsage disk, List<ClassifiedError> classified, List<FailureClass> classes, ConnectivityCheck connectivity,
      BackupRoleCheck role, KeyCheck key, StoreProbe store, List<String> plan, List<GateOutcome> decisions,
      List<String> actions, List<String> checks, List<String> findings, String backupMetadataKey, String backupChildId,
      boolean verified, String escalatedAt, String report, String reportUri, String reason, StorageSpace storage) {
    this(status, target, alert, jobStatus, readiness, disk, classified, classes, connectivity, role, key, store, plan,
        decisions, actions, checks, findings, backupMetadataKey, backupChildId, verified, escalatedAt, report, reportUri,
        reason, storage, List.of());
  }

  @Override
  public String outcome() {
    return switch (status) {
      case PLANNED -> "PLANNED";
      case VERIFIED -> "DONE";
      case REJECTED -> "REJECTED";
      case BLOCKED, FAILED -> "FAILED";
    };
  }

  @Override
  public List<String> errorsSeen() {
    return classified.stream().map(c -> c.error().message()).distinct().limit(20).toList();
  }
}
