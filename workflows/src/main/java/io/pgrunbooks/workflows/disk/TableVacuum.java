package io.pgrunbooks.workflows.disk;

/**
 * What VACUUM (FULL) did to one table.
 *
 * @param database the database
 * @param schema the schema
 * @param table the table
 * @param full VACUUM FULL (rewrites the table) or plain VACUUM
 * @param bytesBefore pg_total_relation_size before
 * @param bytesAfter after (equal to before when skipped)
 * @param skipped why it was not done (null: done): gone, lock not granted within the lock timeout
 */
public record TableVacuum(
    String database, String schema, String table, boolean full, long bytesBefore, long bytesAfter, String skipped) {

  public String describe() {
    String name = database + "." + schema + "." + table;
    return skipped != null
        ? name + " skipped: " + skipped
        : (full ? "VACUUM FULL " : "VACUUM ") + name + ": " + Bytes.human(bytesBefore) + " -> " + Bytes.human(bytesAfter);
  }
}
