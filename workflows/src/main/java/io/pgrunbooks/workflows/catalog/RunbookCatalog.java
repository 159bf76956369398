package io.pgrunbooks.workflows.catalog;

import io.pgrunbooks.workflows.assessment.AssessDatabaseHealthWorkflow;
import java.util.List;
import java.util.Optional;

/** Every runbook this service runs. */
public final class RunbookCatalog {
  private RunbookCatalog() {}

  public static final RunbookDescriptor ASSESS_DATABASE_HEALTH =
      new RunbookDescriptor(
          "assess-database-health",
          AssessDatabaseHealthWorkflow.TYPE,
          "Immediate assessment: readiness, connections, disk, memory, pods, volumes, application"
              + " logs; severity and the scenario to run",
          "Database Failures Response / Immediate Assessment (0-10 minutes)",
          List.of());

  public static final RunbookDescriptor BACKUP_DATABASES =
      new RunbookDescriptor(
          "backup-databases",
          io.pgrunbooks.workflows.backup.BackupDatabasesWorkflow.TYPE,
          "Encrypted per-database backups (pg_dump custom format, openssl AES-256-CBC) streamed to"
              + " the object store, with metadata.json and the latest pointer",
          "PostgreSQL Backup Failed / Manual Backup Execution",
          List.of());

  public static final RunbookDescriptor VERIFY_BACKUP =
      new RunbookDescriptor(
          "verify-backup",
          io.pgrunbooks.workflows.backup.VerifyBackupWorkflow.TYPE,
          "Checks a backup run's objects (size, SHA-256, pg_restore --list), restores each into a"
              + " scratch database, compares row counts and runs amcheck, then drops it",
          "PostgreSQL Backup Failed / Verification Steps",
          List.of());

  public static final RunbookDescriptor RESTORE_FROM_BACKUP =
      new RunbookDescriptor(
          "restore-from-backup",
          io.pgrunbooks.workflows.restore.RestoreFromBackupWorkflow.TYPE,
          "Restores a database from its newest (or a named) encrypted backup into a new database,"
              + " verifies it, and swaps it in by renaming; the old database is kept",
          "Database Failures Response / Database Recovery Procedures / From Automated Backups",
          List.of("scale-down-and-restore", "swap-databases"));

  public static final RunbookDescriptor RECOVER_TO_POINT_IN_TIME =
      new RunbookDescriptor(
          "recover-to-point-in-time",
          io.pgrunbooks.workflows.pitr.RecoverToPointInTimeWorkflow.TYPE,
          "pgBackRest point-in-time recovery: the target checked against the archive, the old data"
              + " directory moved aside, restore, replay to the target, proof of where it stopped",
          "Database Failures Response / Point-in-Time Recovery (PITR)",
          List.of(io.pgrunbooks.workflows.pitr.RecoverToPointInTimeWorkflow.GATE));

  public static final RunbookDescriptor DROP_RESTORE_LEFTOVER =
      new RunbookDescriptor(
          "drop-restore-leftover",
          io.pgrunbooks.workflows.restore.DropRestoreLeftoverWorkflow.TYPE,
          "Drops the old database a restore kept (`<db>_pre_restore_<ts>`) or an unswapped copy, after approval",
          "Database Failures Response / Database Recovery Procedures / From Automated Backups (clean-up)",
          List.of(io.pgrunbooks.workflows.restore.DropRestoreLeftoverWorkflow.GATE));

  public static final RunbookDescriptor RELIEVE_CONNECTION_EXHAUSTION =
      new RunbookDescriptor(
          "relieve-connection-exhaustion",
          io.pgrunbooks.workflows.connections.RelieveConnectionExhaustionWorkflow.TYPE,
          "Connections by state and source; then, each after approval: the listed long-idle sessions"
              + " terminated, the application deployments rollout-restarted, max_connections raised;"
              + " usage re-checked after each change",
          "Common Resolution Scenarios / Scenario 2: Connection Pool Exhaustion",
          List.of(
              io.pgrunbooks.workflows.connections.RelieveConnectionExhaustionWorkflow.TERMINATE_GATE,
              io.pgrunbooks.workflows.connections.RelieveConnectionExhaustionWorkflow.RESTART_GATE,
              io.pgrunbooks.workflows.connections.RelieveConnectionExhaustionWorkflow.MAX_CONNECTIONS_GATE));

  public static final RunbookDescriptor VALIDATE_RECOVERY =
      new RunbookDescriptor(
          "validate-recovery",
          io.pgrunbooks.workflows.validation.ValidateRecoveryWorkflow.TYPE,
          "Post-recovery health checks: readiness, replication, connections by state, database statistics,"
              + " the applications' health URLs",
          "Database Failures Response / Monitoring and Validation / Post-Recovery Health Checks",
          List.of());

  public static final RunbookDescriptor RUN_MAINTENANCE =
      new RunbookDescriptor(
          "run-maintenance",
          io.pgrunbooks.workflows.maintenance.RunMaintenanceWorkflow.TYPE,
          "VACUUM ANALYZE of the target's databases, a table at a time; meant for a schedule"
              + " (POST /api/schedules) instead of the seed's CronJob",
          "Database Failures Response / Prevention and Improvements / Regular Maintenance",
          List.of());

  public static final RunbookDescriptor WATCH_AFTER_INCIDENT =
      new RunbookDescriptor(
          "watch-after-incident",
          io.pgrunbooks.workflows.watch.WatchAfterIncidentWorkflow.TYPE,
          "Installs the post-incident alert rules (PrometheusRule on kubernetes, a rules file on host) for"
              + " 4 hours, then removes them on a durable timer",
          "Database Failures Response / Monitoring and Validation / Ongoing Monitoring Setup",
          List.of());

  public static final RunbookDescriptor ENABLE_PG_STAT_STATEMENTS =
      new RunbookDescriptor(
          "enable-pg-stat-statements",
          io.pgrunbooks.workflows.prevention.EnablePgStatStatementsWorkflow.TYPE,
          "pg_stat_statements made to work: preloaded (ALTER SYSTEM and a restart, host hosting) and the"
              + " extension created in the target's databases, each after approval; re-checked after each",
          "Database Failures Response / Prevention and Improvements / Query Performance Monitoring",
          List.of(
              io.pgrunbooks.workflows.prevention.EnablePgStatStatementsWorkflow.PRELOAD_GATE,
              io.pgrunbooks.workflows.prevention.EnablePgStatStatementsWorkflow.EXTENSION_GATE));

  public static final RunbookDescriptor DIAGNOSE_DATABASE =
      new RunbookDescriptor(
          "diagnose-database",
          io.pgrunbooks.workflows.diagnosis.DiagnoseDatabaseWorkflow.TYPE,
          "Detailed diagnosis, read-only and in parallel: pods or server, events, logs, resources, connections by"
              + " source, locks (blocked and blocking), replication lag, slowest statements, sizes, table statistics",
          "Database Failures Response / Detailed Diagnosis",
          List.of());

  public static final RunbookDescriptor RECOVER_CRASHED_POD =
      new RunbookDescriptor(
          "recover-crashed-pod",
          io.pgrunbooks.workflows.crashrecovery.RecoverCrashedPodWorkflow.TYPE,
          "Why the database server crashed or won't start (pod state, events, previous and current logs, PVC, disk,"
              + " node; host: pg_ctl status and the server log); then, each after approval: restart (pod deleted and"
              + " its replacement awaited, or pg_ctl start), old server logs deleted, a database restored from backup",
          "Common Resolution Scenarios / Scenario 1: Database Pod Crashed or Won't Start",
          List.of(
              io.pgrunbooks.workflows.crashrecovery.RecoverCrashedPodWorkflow.RESTART_GATE,
              io.pgrunbooks.workflows.crashrecovery.RecoverCrashedPodWorkflow.LOG_CLEANUP_GATE,
              io.pgrunbooks.workflows.crashrecovery.RecoverCrashedPodWorkflow.RESTORE_GATE));

  public static final RunbookDescriptor REPAIR_REPLICATION_LAG =
      new RunbookDescriptor(
          "repair-replication-lag",
          io.pgrunbooks.workflows.replication.RepairReplicationLagWorkflow.TYPE,
          "Replication lag: primary, replicas, network and archiving checked; then, each after approval: a stopped"
              + " replica started, a paused replay resumed, or a replica whose WAL is gone reinitialized (the old"
              + " data directory kept); lag sampled until caught up",
          "Common Resolution Scenarios / Scenario 3: Replication Lag Issues",
          List.of(
              io.pgrunbooks.workflows.replication.RepairReplicationLagWorkflow.START_GATE,
              io.pgrunbooks.workflows.replication.RepairReplicationLagWorkflow.RESUME_REPLAY_GATE,
              io.pgrunbooks.workflows.replication.RepairReplicationLagWorkflow.REINITIALIZE_GATE));

  public static final RunbookDescriptor RESOLVE_SLOW_QUERIES =
      new RunbookDescriptor(
          "resolve-slow-queries",
          io.pgrunbooks.workflows.slowqueries.ResolveSlowQueriesWorkflow.TYPE,
          "Queries running too long and sessions blocking others, tables scanned sequentially or needing VACUUM;"
              + " then, each after approval: the culprits cancelled (a blocker idle in a transaction terminated) and"
              + " the named tables VACUUM (ANALYZE)d; re-checked after each",
          "Common Resolution Scenarios / Scenario 4: Database Performance Issues",
          List.of(
              io.pgrunbooks.workflows.slowqueries.ResolveSlowQueriesWorkflow.CANCEL_GATE,
              io.pgrunbooks.workflows.slowqueries.ResolveSlowQueriesWorkflow.VACUUM_GATE));

  public static final RunbookDescriptor RECLAIM_DISK_SPACE =
      new RunbookDescriptor(
          "reclaim-disk-space",
          io.pgrunbooks.workflows.disk.ReclaimDiskSpaceWorkflow.TYPE,
          "Disk use and what fills it, why WAL piles up (archiver, slots; nothing under pg_wal is deleted); then,"
              + " each after approval: abandoned slots dropped, old server logs deleted, the PVC grown, VACUUM or"
              + " VACUUM FULL (maintenance window); df re-checked after each change",
          "Common Resolution Scenarios / Scenario 5: Disk Space Issues",
          List.of(
              io.pgrunbooks.workflows.disk.ReclaimDiskSpaceWorkflow.DROP_SLOT_GATE,
              io.pgrunbooks.workflows.disk.ReclaimDiskSpaceWorkflow.DELETE_LOGS_GATE,
              io.pgrunbooks.workflows.disk.ReclaimDiskSpaceWorkflow.EXPAND_GATE,
              io.pgrunbooks.workflows.disk.ReclaimDiskSpaceWorkflow.VACUUM_FULL_GATE,
              io.pgrunbooks.workflows.disk.ReclaimDiskSpaceWorkflow.VACUUM_GATE));

  public static final RunbookDescriptor RESPOND_TO_DATABASE_FAILURE =
      new RunbookDescriptor(
          "respond-to-database-failure",
          io.pgrunbooks.workflows.response.RespondToDatabaseFailureWorkflow.TYPE,
          "The whole failure runbook: assess, pick the scenario by the Quick Reference table, diagnose,"
              + " run the scenario as a child (its gates are approved on the child's id), validate, start the"
              + " post-incident watch, and write the incident report (GET /api/reports/{id})",
          "Database Failures Response (whole)",
          List.of("via the scenario's child run"));

  public static final RunbookDescriptor RESPOND_TO_BACKUP_FAILURE =
      new RunbookDescriptor(
          "respond-to-backup-failure",
          io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow.TYPE,
          "The backup-failure runbook: the alert's metrics, recent backup runs and their errors, database health,"
              + " the failure classified (connectivity, authentication, storage, S3, encryption); then, each after"
              + " approval, the cluster started or restarted (host) or its StatefulSet restarted, the backup role repaired, old dump files deleted, the data volume grown,"
              + " a missing bucket created, a missing key created or the key rotated (old keys kept); a backup and its"
              + " verification as children; escalation when no verified backup within 2 hours; a report",
          "PostgreSQL Backup Failed (whole)",
          List.of(
              io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow.START_GATE,
              io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow.RESTART_GATE,
              io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow.RESTART_STATEFULSET_GATE,
              io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow.ROLE_GATE,
              io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow.BUCKET_GATE,
              io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow.CLEAN_DUMPS_GATE,
              io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow.EXPAND_GATE,
              io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow.CREATE_KEY_GATE,
              io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow.ROTATE_KEY_GATE));

  public static final List<RunbookDescriptor> ALL =
      List.of(ASSESS_DATABASE_HEALTH, DIAGNOSE_DATABASE, BACKUP_DATABASES, VERIFY_BACKUP, RESTORE_FROM_BACKUP, DROP_RESTORE_LEFTOVER,
          RECOVER_TO_POINT_IN_TIME, RELIEVE_CONNECTION_EXHAUSTION, VALIDATE_RECOVERY, RUN_MAINTENANCE, WATCH_AFTER_INCIDENT,
          ENABLE_PG_STAT_STATEMENTS, RECOVER_CRASHED_POD, REPAIR_REPLICATION_LAG, RESOLVE_SLOW_QUERIES, RECLAIM_DISK_SPACE, RESPOND_TO_DATABASE_FAILURE,
          RESPOND_TO_BACKUP_FAILURE);

  public static Optional<RunbookDescriptor> find(String name) {
    return ALL.stream().filter(r -> r.name().equals(name)).findFirst();
  }
}
