/**
 * The backup-failure runbook's side effects (seed 003): Prometheus' view of the alert, job status, the
 * checks of each failure class and the gated fixes, the store's replication.
 */
package io.pgrunbooks.activities.backupfailure;
