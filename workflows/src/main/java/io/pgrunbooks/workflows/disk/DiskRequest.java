package io.pgrunbooks.workflows.disk;

/**
 * A request to reclaim disk space on a target.
 *
 * @param target the target
 * @param logRetentionDays server log files older than this many days are proposed for deletion
 *     (null: 7, the seed's {@code -mtime +7})
 * @param maintenanceWindow whether the run is inside a maintenance window (null: false): only then is
 *     VACUUM FULL proposed, since it locks each table for its whole duration; outside one, plain VACUUM
 * @param expandTo kubernetes: the new size of the data volume's claim, e.g. {@code 150Gi} (null: the
 *     volume is not grown); must be larger than the claim's current request
 * @param dropInactiveSlots whether inactive replication slots that retain WAL are proposed for
 *     dropping (null: false, they are reported only); each drop still needs its own approval
 * @param dryRun diagnose and plan, open no gate, change nothing
 * @param requestedBy who asked (they may not approve)
 */
public record DiskRequest(
    String target,
    Integer logRetentionDays,
    Boolean maintenanceWindow,
    String expandTo,
    Boolean dropInactiveSlots,
    boolean dryRun,
    String requestedBy) {
  /** The seed's {@code find ... -mtime +7}. */
  public static final int DEFAULT_LOG_RETENTION_DAYS = 7;

  public int logRetentionDaysOrDefault() {
    return logRetentionDays == null ? DEFAULT_LOG_RETENTION_DAYS : logRetentionDays;
  }

  public boolean inMaintenanceWindow() {
    return Boolean.TRUE.equals(maintenanceWindow);
  }

  public boolean dropsInactiveSlots() {
    return Boolean.TRUE.equals(dropInactiveSlots);
  }
}
