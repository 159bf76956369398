/** The {@code host} hosting: PostgreSQL on this machine, driven with pg_ctl and its data directory. */
package io.pgrunbooks.activities.host;
