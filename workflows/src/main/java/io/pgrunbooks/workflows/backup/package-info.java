/**
 * Seed 003 "Manual Backup Execution" and "Verification Steps": encrypted per-database backups
 * streamed to the object store ({@code BackupDatabases}, {@code BackupDatabase}) and their proof by
 * a real restore ({@code VerifyBackup}).
 */
package io.pgrunbooks.workflows.backup;
