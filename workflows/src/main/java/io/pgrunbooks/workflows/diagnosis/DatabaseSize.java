package io.pgrunbooks.workflows.diagnosis;

/**
 * {@code pg_database_size} of one database.
 *
 * @param database the database
 * @param bytes its size
 * @param pretty pg_size_pretty of it, e.g. {@code 8 GB}
 */
public record DatabaseSize(String database, long bytes, String pretty) {}
