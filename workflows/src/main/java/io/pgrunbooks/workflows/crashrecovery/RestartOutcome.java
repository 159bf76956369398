package io.pgrunbooks.workflows.crashrecovery;

/**
 * What the approved restart did.
 *
 * @param action what was done, e.g. "deleted pod postgres-primary-0 (uid ...)", "pg_ctl start"
 * @param before the identity before (pod uid, postmaster pid; null: none)
 * @param after the identity after
 * @param note anything a person should know (an earlier attempt had done it, a stale pid file)
 */
public record RestartOutcome(String action, String before, String after, String note) {}
