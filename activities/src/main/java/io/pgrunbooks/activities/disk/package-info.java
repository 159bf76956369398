/** Scenario 5, disk space: df, du, WAL retention, old server logs, the data volume's claim, VACUUM (FULL). */
package io.pgrunbooks.activities.disk;
