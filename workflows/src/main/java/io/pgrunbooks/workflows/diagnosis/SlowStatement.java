package io.pgrunbooks.workflows.diagnosis;

/**
 * A row of {@code pg_stat_statements}, by mean execution time.
 *
 * @param database the database it ran in
 * @param user the role that ran it
 * @param query the normalized statement (cut to 1000 characters)
 * @param calls how often it ran
 * @param totalExecMillis total_exec_time (PostgreSQL 13+; the seed's total_time is gone)
 * @param meanExecMillis mean_exec_time (the seed's mean_time)
 * @param rows rows returned or affected, in all
 */
public record SlowStatement(
    String database, String user, String query, long calls, double totalExecMillis, double meanExecMillis, long rows) {}
