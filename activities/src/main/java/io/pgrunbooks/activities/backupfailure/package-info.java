/** Activities of the backup-failure runbook (seed 003): job status, checks and the gated fixes. */
package io.pgrunbooks.activities.backupfailure;
