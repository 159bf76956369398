package io.pgrunbooks.workflows.replication;

/**
 * A physical replication slot on the primary (pg_replication_slots).
 *
 * @param name the slot
 * @param active whether a standby streams from it now
 * @param restartLsn the oldest WAL it keeps (null once lost)
 * @param walStatus reserved, extended, unreserved or lost (PostgreSQL 13+): lost means the standby
 *     can never catch up by streaming again
 * @param retainedBytes WAL the slot holds back on the primary's disk
 */
public record SlotStatus(String name, boolean active, String restartLsn, String walStatus, Long retainedBytes) {

  /** The WAL this slot protected has been removed. */
  public boolean lost() {
    return "lost".equals(walStatus);
  }
}
