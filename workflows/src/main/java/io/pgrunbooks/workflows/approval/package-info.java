/**
 * The approval gate every destructive step passes: it says what will happen, to what and why, waits
 * for a person's approve or reject signal (never the requester's own), escalates when it waits too
 * long, and keeps every decision in the run's history.
 */
package io.pgrunbooks.workflows.approval;
