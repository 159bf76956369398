package io.pgrunbooks.workflows.disk;

/**
 * One of the largest tables, with its dead rows (pg_stat_user_tables).
 *
 * @param database the database
 * @param schema the schema
 * @param table the table
 * @param totalBytes pg_total_relation_size (table, indexes, TOAST)
 * @param liveTuples n_live_tup
 * @param deadTuples n_dead_tup
 */
public record BloatedTable(String database, String schema, String table, long totalBytes, long liveTuples, long deadTuples) {

  /** Share of dead rows, 0 to 100. */
  public double deadPercent() {
    long all = liveTuples + deadTuples;
    return all == 0 ? 0 : Math.round(1000.0 * deadTuples / all) / 10.0;
  }

  /** "link_users.public.messages (12.0 GiB, 41.5 % dead rows)". */
  public String describe() {
    return database + "." + schema + "." + table + " (" + Bytes.human(totalBytes) + ", " + deadTuples + " dead rows, "
        + deadPercent() + " %)";
  }
}
