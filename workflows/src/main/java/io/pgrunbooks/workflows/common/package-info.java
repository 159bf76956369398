/** What every runbook shares: task queue, search attributes, and how a run reports its progress. */
package io.pgrunbooks.workflows.common;
