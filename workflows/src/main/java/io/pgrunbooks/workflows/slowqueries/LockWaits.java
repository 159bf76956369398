package io.pgrunbooks.workflows.slowqueries;

import java.util.List;

/**
 * Who waits for whom.
 *
 * @param waits every client backend waiting for a lock another holds
 * @param blockers the sessions at the head of the chains (blocking others, waiting for nobody),
 *     each with how to end it; this service's own sessions are never among them
 * @param notes what a person should know, e.g. a chain headed by a session this runbook leaves alone
 */
public record LockWaits(List<LockWait> waits, List<Backend> blockers, List<String> notes) {}
