package io.pgrunbooks.workflows.slowqueries;

/**
 * One pg_stat_statements entry (PostgreSQL 13+ column names).
 *
 * @param database the database it ran in
 * @param user the role
 * @param calls how often it ran
 * @param meanMillis mean_exec_time
 * @param totalMillis total_exec_time
 * @param rows rows returned or affected, in total
 * @param query the normalized statement, bounded as {@link Backend#query()}
 */
public record StatementStats(
    String database, String user, long calls, double meanMillis, double totalMillis, long rows, String query) {}
