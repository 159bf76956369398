/** Scenario 1, a database pod crashed or will not start: find out why, then restart, clean old logs or restore, each approved. */
package io.pgrunbooks.workflows.crashrecovery;
