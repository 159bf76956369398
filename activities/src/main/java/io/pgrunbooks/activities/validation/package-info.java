/** The post-recovery checks: connections by state, pg_stat_database, the applications' health URLs. */
package io.pgrunbooks.activities.validation;
