package io.pgrunbooks.workflows.replication;

/**
 * A request to repair replication lag.
 *
 * @param target the target
 * @param replica the one replica to look at and repair (its configured name); null: every replica
 * @param maxLagBytes a replica whose replay is at most this far behind the primary counts as
 *     caught up (null: 1 MiB; a busy primary is never exactly caught up)
 * @param recheckMinutes how long the re-check after a change samples the lag before it gives up
 *     (null: 10)
 * @param sampleSeconds seconds between two lag samples of the re-check (null: 15; at least 1)
 * @param dryRun diagnose and plan, open no gate, change nothing
 * @param requestedBy who asked (they may not approve)
 */
public record ReplicationRequest(
    String target,
    String replica,
    Long maxLagBytes,
    Integer recheckMinutes,
    Integer sampleSeconds,
    boolean dryRun,
    String requestedBy) {
  public static final long DEFAULT_MAX_LAG_BYTES = 1L << 20;
  public static final int DEFAULT_RECHECK_MINUTES = 10;
  public static final int DEFAULT_SAMPLE_SECONDS = 15;

  public long maxLagBytesOrDefault() {
    return maxLagBytes == null ? DEFAULT_MAX_LAG_BYTES : maxLagBytes;
  }

  public int recheckMinutesOrDefault() {
    return recheckMinutes == null ? DEFAULT_RECHECK_MINUTES : recheckMinutes;
  }

  public int sampleSecondsOrDefault() {
    return sampleSeconds == null ? DEFAULT_SAMPLE_SECONDS : Math.max(1, sampleSeconds);
  }
}
