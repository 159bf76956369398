/**
 * Seed 000, "Database Recovery Procedures / From Automated Backups", made safe: the backup is
 * restored into a new database and verified while the live one is untouched, and only an approved
 * rename swaps them; the old database is kept under {@code <db>_pre_restore_<timestamp>}.
 * Corrections of the seed: it restores with {@code psql < latest-backup.sql} straight into the live
 * cluster after stopping the applications, so a failed or wrong backup destroys the current data;
 * it takes "the newest" by sorting {@code aws s3 ls} output, which sorts by date string and mixes
 * databases; and it restarts applications with hard-coded counts instead of the ones they had.
 */
package io.pgrunbooks.workflows.restore;
