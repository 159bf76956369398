package io.pgrunbooks.workflows.disk;

/**
 * A replication slot and the WAL it keeps on disk (pg_replication_slots).
 *
 * @param name slot_name
 * @param type physical or logical
 * @param database the logical slot's database (null: physical)
 * @param active whether a consumer (replica, decoder) is connected now
 * @param walStatus reserved, extended, unreserved or lost (PostgreSQL 13+)
 * @param retainedBytes pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn): WAL kept for it (0: none reserved)
 */
public record ReplicationSlotRetention(
    String name, String type, String database, boolean active, String walStatus, long retainedBytes) {

  public String describe() {
    return (type == null ? "" : type + " ") + "slot " + name + (database == null ? "" : " (database " + database + ")")
        + (active ? ", active" : ", INACTIVE") + ", retaining " + Bytes.human(retainedBytes) + " of WAL"
        + (walStatus == null ? "" : ", wal_status " + walStatus);
  }
}
