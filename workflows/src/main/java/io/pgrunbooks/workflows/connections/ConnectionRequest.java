package io.pgrunbooks.workflows.connections;

/**
 * A request to relieve connection exhaustion.
 *
 * @param target the target
 * @param idleMinutes sessions idle longer than this are proposed for termination (null: 30, as the seed)
 * @param maxConnections a new max_connections to set (host hosting, needs a restart); null: leave it
 * @param dryRun diagnose and plan, open no gate, change nothing
 * @param requestedBy who asked (they may not approve)
 */
public record ConnectionRequest(
    String target, Integer idleMinutes, Integer maxConnections, boolean dryRun, String requestedBy) {
  /** The seed's 30 minutes. */
  public static final int DEFAULT_IDLE_MINUTES = 30;

  public int idleMinutesOrDefault() {
    return idleMinutes == null ? DEFAULT_IDLE_MINUTES : idleMinutes;
  }
}
