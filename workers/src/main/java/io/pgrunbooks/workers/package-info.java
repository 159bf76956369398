/** The worker process: hosts every runbook workflow and activity on the configured task queue. */
package io.pgrunbooks.workers;
