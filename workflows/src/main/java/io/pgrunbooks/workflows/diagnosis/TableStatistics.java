package io.pgrunbooks.workflows.diagnosis;

/**
 * A row of {@code pg_stat_user_tables} (the seed says {@code tablename}; the column is {@code
 * relname}).
 *
 * @param database the database
 * @param schema the schema
 * @param table the table
 * @param seqScans sequential scans started
 * @param seqTuplesRead rows read by them
 * @param indexScans index scans; null for a table without indexes
 * @param indexTuplesFetched rows fetched by them; null for a table without indexes
 * @param inserted rows inserted
 * @param updated rows updated
 * @param deleted rows deleted
 */
public record TableStatistics(
    String database,
    String schema,
    String table,
    long seqScans,
    long seqTuplesRead,
    Long indexScans,
    Long indexTuplesFetched,
    long inserted,
    long updated,
    long deleted) {}
