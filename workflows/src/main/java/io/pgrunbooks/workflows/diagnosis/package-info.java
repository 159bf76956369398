/**
 * Seed 000 "Detailed Diagnosis": pods, logs, resources, connections, locks, replication, slow
 * statements, sizes and table statistics of a target, read-only and in parallel.
 */
package io.pgrunbooks.workflows.diagnosis;
