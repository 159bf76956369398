/** Scenario 1 against a target: why the server is down, its restart, its old log files, on either hosting. */
package io.pgrunbooks.activities.crashrecovery;
