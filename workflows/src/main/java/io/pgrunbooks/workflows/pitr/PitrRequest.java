package io.pgrunbooks.workflows.pitr;

/**
 * Input of {@link RecoverToPointInTimeWorkflow}.
 *
 * @param target a configured target with a {@code pitr} block
 * @param targetTime RFC 3339, e.g. {@code 2024-01-01T12:00:00Z}; every transaction that committed
 *     at or before it is kept, every later one is lost
 * @param checkDatabase the database {@code checkSql} runs in (null: the primary endpoint's)
 * @param checkSql a query returning one value, run read-only after recovery, e.g. {@code select
 *     max(created_at) from orders} (null: none)
 * @param dryRun validate and plan every step, open no gate, change nothing
 * @param requestedBy who asked; they may reject the gate, never approve it
 */
public record PitrRequest(
    String target,
    String targetTime,
    String checkDatabase,
    String checkSql,
    boolean dryRun,
    String requestedBy) {}
