package io.pgrunbooks.api.runs;

import java.util.List;

/**
 * Body of {@code POST /api/runs}. Only runbook and target are needed; the rest tunes runbooks that
 * take it and is refused by those that don't.
 *
 * @param runbook a name from {@code GET /api/runbooks}, e.g. {@code assess-database-health}
 * @param target a name from {@code GET /api/targets}
 * @param databases backup-databases, run-maintenance, enable-pg-stat-statements: which databases (default: the target's)
 * @param format backup-databases: {@code compatible} (default, the seed's) or {@code fast}
 * @param parallelism backup-databases: databases dumped at once (default: the target's)
 * @param keyRef backup-databases, verify-backup: reference to the passphrase, never the passphrase
 * @param metadataKey verify-backup: the run's metadata.json (default: the latest)
 * @param database restore-from-backup: the database to restore
 * @param objectKey restore-from-backup: the backup object (default: the database's newest)
 * @param mode restore-from-backup: {@code auto} (default), {@code streamed} or {@code staged}
 * @param dryRun restore-from-backup, drop-restore-leftover, recover-to-point-in-time, enable-pg-stat-statements,
 *     relieve-connection-exhaustion: plan every step, change nothing
 * @param targetTime recover-to-point-in-time: RFC 3339, e.g. {@code 2026-11-22T12:00:00Z}
 * @param checkDatabase recover-to-point-in-time: where checkSql runs
 * @param checkSql recover-to-point-in-time: a read-only query returning one value, run after recovery
 * @param approvalTimeoutSeconds restore-from-backup: how long a gate waits before escalating (default 1800)
 * @param abortOnApprovalTimeout restore-from-backup: end the run when nobody decided in time (default: keep waiting)
 * @param hours watch-after-incident, respond-to-database-failure: how long the post-incident rules stay (default 4; 0: no watch)
 * @param incident watch-after-incident: a short incident id for the rules' name
 * @param idleMinutes relieve-connection-exhaustion: sessions idle longer than this are proposed for termination (default 30)
 * @param maxConnections relieve-connection-exhaustion: a new, higher max_connections (host hosting; default: unchanged)
 * @param scenario respond-to-database-failure: the scenario to run instead of the assessment's, by its runbook name
 *     (e.g. {@code resolve-slow-queries}) or {@code none}
 * @param stopAfterDiagnosis respond-to-database-failure: end after the diagnosis, with the report
 * @param replica repair-replication-lag: one replica by name (default: every configured replica)
 * @param maxLagBytes repair-replication-lag: a replica this close to the primary has caught up (default 1 MiB)
 * @param recheckMinutes repair-replication-lag: how long the lag is sampled after a fix (default 10)
 * @param sampleSeconds repair-replication-lag: between samples (default 15)
 * @param logRetentionDays reclaim-disk-space, recover-crashed-pod: server logs older than this are proposed for deletion (default 7)
 * @param maintenanceWindow reclaim-disk-space: VACUUM FULL is proposed only inside one (default false)
 * @param expandTo reclaim-disk-space and respond-to-backup-failure: the data volume claim's new size, e.g. {@code 150Gi} (kubernetes)
 * @param dropInactiveSlots reclaim-disk-space: propose dropping inactive slots that retain WAL (default false)
 * @param restoreDatabase recover-crashed-pod: restore this database from its newest backup, after approval (default: none)
 * @param minutes resolve-slow-queries: statements running longer than this are slow (default 5, the seed's)
 * @param seconds resolve-slow-queries: the same in seconds, instead of minutes
 * @param escalateAfterMinutes respond-to-backup-failure: escalate when no verified backup within this (default 120)
 * @param rotateKey respond-to-backup-failure: rotate the backup encryption key under its gate, the old key kept (default false)
 */
public record StartRunRequest(
    String runbook,
    String target,
    List<String> databases,
    String format,
    Integer parallelism,
    String keyRef,
    String metadataKey,
    String database,
    String objectKey,
    String mode,
    Boolean dryRun,
    String targetTime,
    String checkDatabase,
    String checkSql,
    Long approvalTimeoutSeconds,
    Boolean abortOnApprovalTimeout,
    Integer hours,
    String incident,
    Integer idleMinutes,
    Integer maxConnections,
    String scenario,
    Boolean stopAfterDiagnosis,
    String replica,
    Long maxLagBytes,
    Integer recheckMinutes,
    Integer sampleSeconds,
    Integer logRetentionDays,
    Boolean maintenanceWindow,
    String expandTo,
    Boolean dropInactiveSlots,
    String restoreDatabase,
    Integer minutes,
    Integer seconds,
    Integer escalateAfterMinutes,
    Boolean rotateKey) {}
