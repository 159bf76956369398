/** Regular maintenance: VACUUM ANALYZE a table at a time, resumable from the last heartbeat. */
package io.pgrunbooks.activities.maintenance;
