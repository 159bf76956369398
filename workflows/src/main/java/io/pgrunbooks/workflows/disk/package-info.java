/** Scenario 5, disk space: measure and explain the use, then delete old server logs, drop a dead slot, grow the volume, VACUUM (FULL), each approved. */
package io.pgrunbooks.workflows.disk;
