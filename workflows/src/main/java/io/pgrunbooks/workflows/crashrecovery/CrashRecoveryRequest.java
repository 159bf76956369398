package io.pgrunbooks.workflows.crashrecovery;

/**
 * A request to recover a crashed database server.
 *
 * @param target the target
 * @param logRetentionDays server log files older than this many days are proposed for deletion
 *     (null: 7, as the seed's {@code -mtime +7})
 * @param restoreDatabase a database to restore from its newest backup after the server is back (the
 *     seed's "if persistent volume is corrupted"); null: no restore
 * @param dryRun diagnose and plan, open no gate, change nothing
 * @param requestedBy who asked (they may not approve)
 */
public record CrashRecoveryRequest(
    String target, Integer logRetentionDays, String restoreDatabase, boolean dryRun, String requestedBy) {
  /** The seed's {@code -mtime +7}. */
  public static final int DEFAULT_LOG_RETENTION_DAYS = 7;

  public int logRetentionDaysOrDefault() {
    return logRetentionDays == null ? DEFAULT_LOG_RETENTION_DAYS : logRetentionDays;
  }
}
