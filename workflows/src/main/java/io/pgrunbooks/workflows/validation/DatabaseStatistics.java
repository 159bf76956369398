package io.pgrunbooks.workflows.validation;

/** One row of the seed's {@code pg_stat_database} query, for a database of the target. */
public record DatabaseStatistics(
    String database,
    int backends,
    long commits,
    long rollbacks,
    long blocksRead,
    long blocksHit,
    long tuplesReturned,
    long tuplesFetched,
    long tuplesInserted,
    long tuplesUpdated,
    long tuplesDeleted) {

  /** Share of block reads served from shared buffers, 0 to 1 (1 when nothing was read). */
  public double cacheHitRatio() {
    long total = blocksRead + blocksHit;
    return total == 0 ? 1.0 : (double) blocksHit / total;
  }
}
