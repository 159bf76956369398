package io.pgrunbooks.workflows.replication;

/** PostgreSQL WAL positions ({@code 16/B374D848}) as byte offsets, for lag arithmetic. */
public final class Lsn {
  private Lsn() {}

  /** The LSN's byte position; null for null. */
  public static Long parse(String lsn) {
    if (lsn == null) {
      return null;
    }
    int slash = lsn.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not an LSN: " + lsn);
    }
    return (Long.parseLong(lsn.substring(0, slash), 16) << 32) | Long.parseLong(lsn.substring(slash + 1), 16);
  }

  /** {@code to - from} in bytes (pg_wal_lsn_diff), never below 0; null when either is unknown. */
  public static Long diff(String to, String from) {
    Long a = parse(to);
    Long b = parse(from);
    return a == null || b == null ? null : Math.max(0, a - b);
  }
}
