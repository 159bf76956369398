package io.pgrunbooks.workflows.slowqueries;

/**
 * A request to resolve slow queries.
 *
 * @param target the target
 * @param minutes queries active for longer than this are slow (null: 5, as the seed; 0 allowed)
 * @param seconds the same threshold in seconds, for a finer one (null: use minutes; when both are
 *     given, seconds wins)
 * @param dryRun diagnose and plan, open no gate, change nothing
 * @param requestedBy who asked (they may not approve)
 */
public record SlowQueryRequest(String target, Integer minutes, Integer seconds, boolean dryRun, String requestedBy) {
  /** The seed's 5 minutes. */
  public static final int DEFAULT_MINUTES = 5;

  /** The threshold in seconds (may be negative if the request is: the first activity refuses it). */
  public int thresholdSeconds() {
    if (seconds != null) {
      return seconds;
    }
    return (minutes == null ? DEFAULT_MINUTES : minutes) * 60;
  }
}
