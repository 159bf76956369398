/**
 * The failure runbook's "Prevention and Improvements": pg_stat_statements enabled where it is
 * missing (preloading it needs a restart, so it is approved first). Regular maintenance is the
 * {@code maintenance} package, run by a Temporal Schedule.
 */
package io.pgrunbooks.workflows.prevention;
