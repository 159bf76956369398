/** Seed 003's "Verification Steps" as activities: checksum, pg_restore --list, a real restore, amcheck. */
package io.pgrunbooks.activities.verification;
