/** Scenario 2's side effects: pg_stat_activity, pg_terminate_backend, rollout restarts, max_connections. */
package io.pgrunbooks.activities.connections;
