/** Enabling pg_stat_statements on a target (Prevention and Improvements), against its primary. */
package io.pgrunbooks.activities.prevention;
