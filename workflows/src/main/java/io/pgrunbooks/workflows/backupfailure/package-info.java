/**
 * The backup-failure runbook (seed 003) around its manual backup and verification: from the
 * PostgreSQLBackupFailed alert to a verified backup, with escalation.
 */
package io.pgrunbooks.workflows.backupfailure;
