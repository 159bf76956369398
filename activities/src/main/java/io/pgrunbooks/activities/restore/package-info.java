/**
 * The steps of "From Automated Backups": find the backup and tell its kind from its bytes, restore
 * it into a new database (streamed, or staged for a parallel pg_restore), verify, swap by renaming.
 */
package io.pgrunbooks.activities.restore;
