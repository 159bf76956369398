package io.pgrunbooks.workflows.restore;

import io.pgrunbooks.workflows.applications.DeploymentReplicas;
import io.pgrunbooks.workflows.approval.GateOutcome;
import java.util.List;

/**
 * What a restore run did.
 *
 * @param status how it ended
 * @param target the target
 * @param database the database restored
 * @param backup the backup used
 * @param method streamed or staged, and why
 * @param restoredDatabase the new database (live under the old name after the swap), or null
 * @param preRestoreDatabase the old database's new name after the swap, or null when not swapped
 * @param check the verification of the restored data, or null when not reached
 * @param replicas the application counts recorded before scaling down
 * @param plan every step, in order, as done or (dry run) as it would be done
 * @param decisions the gates' outcomes
 * @param postRecoverySeverity the assessment's severity after the restore, or null
 * @param stoppedAt the step a failed or rejected run stopped at, or null
 * @param reason why it stopped, or null
 */
public record RestoreResult(
    RestoreStatus status,
    String target,
    String database,
    FoundBackup backup,
    RestoreMethod method,
    String restoredDatabase,
    String preRestoreDatabase,
    RestoredDataCheck check,
    List<DeploymentReplicas> replicas,
    List<String> plan,
    List<GateOutcome> decisions,
    String postRecoverySeverity,
    String stoppedAt,
    String reason) {}
