/** The backup-failure runbook's side effects: Prometheus' view of the alert, the store's replication. */
package io.pgrunbooks.activities.backupfailure;
