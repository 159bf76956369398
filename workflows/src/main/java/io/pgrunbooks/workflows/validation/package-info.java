/**
 * Seed 000, "Monitoring and Validation / Post-Recovery Health Checks": readiness, replication,
 * connections by state, database statistics, and the applications' health URLs, as one verdict.
 */
package io.pgrunbooks.workflows.validation;
