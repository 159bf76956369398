package io.pgrunbooks.workflows.backupfailure;

/**
 * Step 1, "Alert details": the target's backup metrics as Prometheus has them.
 *
 * @param prometheusUrl the Prometheus queried (null: none configured)
 * @param errorsTotal {@code postgres_backup_errors_total} summed over the target's series (null: no series)
 * @param lastSuccessAt RFC 3339 from {@code postgres_backup_last_success_timestamp} (null: never, or no series)
 * @param lastSuccessAgeSeconds how old the last good backup is (null when unknown)
 * @param allowedAgeSeconds what the alert allows (the seed's 24 h)
 * @param overdue whether the last good backup is older than allowed, or unknown
 * @param problem why Prometheus could not answer (null when it did)
 */
public record BackupAlert(
    String prometheusUrl,
    Double errorsTotal,
    String lastSuccessAt,
    Long lastSuccessAgeSeconds,
    long allowedAgeSeconds,
    boolean overdue,
    String problem) {}
