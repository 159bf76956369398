/** Scenario 4's side effects: pg_stat_activity and pg_blocking_pids, cumulative statistics, pg_cancel_backend / pg_terminate_backend, VACUUM (ANALYZE). */
package io.pgrunbooks.activities.slowqueries;
