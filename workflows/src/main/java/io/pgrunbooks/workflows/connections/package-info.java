/** Scenario 2, connection pool exhaustion: diagnose, end idle sessions, restart the pools, raise the limit, each approved. */
package io.pgrunbooks.workflows.connections;
