package io.pgrunbooks.workflows.backup;

/**
 * Input of {@link BackupDatabaseWorkflow}: one database of a plan.
 *
 * @param plan the run's plan
 * @param database the database
 * @param requestedBy who asked
 */
public record DatabaseBackupRequest(BackupPlan plan, String database, String requestedBy) {}
