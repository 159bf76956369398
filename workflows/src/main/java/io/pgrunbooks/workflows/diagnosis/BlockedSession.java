package io.pgrunbooks.workflows.diagnosis;

/**
 * A session waiting for a lock another session holds (or waits for ahead of it).
 *
 * @param blockedPid the waiting backend
 * @param blockedUser its role
 * @param blockedApplication its application_name
 * @param blockedQuery what it waits to run (cut to 1000 characters)
 * @param waitingSeconds how long its statement has been running, waiting included ({@code now() -
 *     query_start}; pg_locks.waitstart would be the wait alone, but exists only since 14)
 * @param waitEvent the lock it waits for, e.g. {@code Lock:relation}, {@code Lock:transactionid}
 * @param blockingPid the backend it waits for
 * @param blockingUser that backend's role
 * @param blockingApplication its application_name
 * @param blockingState its state (often "idle in transaction": it holds the lock and does nothing)
 * @param blockingQuery its current or last statement (cut to 1000 characters)
 */
public record BlockedSession(
    int blockedPid,
    String blockedUser,
    String blockedApplication,
    String blockedQuery,
    double waitingSeconds,
    String waitEvent,
    int blockingPid,
    String blockingUser,
    String blockingApplication,
    String blockingState,
    String blockingQuery) {}
