/**
 * Seed 000, "Prevention and Improvements / Regular Maintenance": VACUUM ANALYZE of the target's
 * databases, run by a Temporal Schedule (created over the API) instead of the seed's Kubernetes
 * CronJob, so every run is visible, retried and resumable.
 */
package io.pgrunbooks.workflows.maintenance;
