/** Seed 003's backups as activities: pg_dump streamed through zstd, encryption and SHA-256 into S3. */
package io.pgrunbooks.activities.backup;
