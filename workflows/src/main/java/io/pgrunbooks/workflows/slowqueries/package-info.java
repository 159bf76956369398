/** Scenario 4, database performance: slow queries and lock waits, gated cancellation of their causes, gated VACUUM (ANALYZE). */
package io.pgrunbooks.workflows.slowqueries;
