/** Escalation of approval gates that wait too long: log, metric, webhook. */
package io.pgrunbooks.activities.approval;
