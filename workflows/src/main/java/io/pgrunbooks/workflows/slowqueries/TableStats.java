package io.pgrunbooks.workflows.slowqueries;

/**
 * One table's row of pg_stat_user_tables.
 *
 * @param database its database
 * @param schema its schema
 * @param table relname
 * @param seqScan sequential scans started
 * @param seqTupRead rows those scans read
 * @param idxScan index scans (0 when it has no index)
 * @param liveTuples n_live_tup
 * @param deadTuples n_dead_tup
 * @param modsSinceAnalyze n_mod_since_analyze: rows changed since its statistics were taken
 * @param lastVacuum RFC 3339: the later of last_vacuum and last_autovacuum (null: never)
 * @param lastAnalyze RFC 3339: the later of last_analyze and last_autoanalyze (null: never)
 */
public record TableStats(
    String database,
    String schema,
    String table,
    long seqScan,
    long seqTupRead,
    long idxScan,
    long liveTuples,
    long deadTuples,
    long modsSinceAnalyze,
    String lastVacuum,
    String lastAnalyze) {

  /** database.schema.table, for people. */
  public String name() {
    return database + "." + schema + "." + table;
  }
}
