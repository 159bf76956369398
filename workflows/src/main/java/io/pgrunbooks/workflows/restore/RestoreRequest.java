package io.pgrunbooks.workflows.restore;

/**
 * A request to restore one database from a backup.
 *
 * @param target the target's name
 * @param database the database to restore, e.g. link_users
 * @param objectKey the backup object to restore; null: the newest backup of the database
 * @param keyRef reference to the key (env:/file:/k8s:); null: the target's backup key
 * @param mode how to feed the restore; null: {@link RestoreMode#AUTO}
 * @param dryRun go through every step, open no gate, change nothing, return the plan
 * @param requestedBy who asked (they may not approve the run's gates)
 * @param approvalTimeoutSeconds how long a gate waits before escalating; 0: 30 minutes
 * @param abortOnApprovalTimeout whether a gate nobody decided on ends the run (else it keeps waiting)
 */
public record RestoreRequest(
    String target,
    String database,
    String objectKey,
    String keyRef,
    RestoreMode mode,
    boolean dryRun,
    String requestedBy,
    long approvalTimeoutSeconds,
    boolean abortOnApprovalTimeout) {}
