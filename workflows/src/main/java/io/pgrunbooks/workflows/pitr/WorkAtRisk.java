package io.pgrunbooks.workflows.pitr;

/**
 * What a recovery throws away: every transaction committed after the target. The LSN at the target
 * is only known once recovery stops there, so the plan bounds it between two known LSNs.
 *
 * @param fromTime the target, RFC 3339
 * @param untilTime when the plan was made, RFC 3339 (writes until the database stops are lost too)
 * @param seconds the span between them
 * @param targetLsnAfter the target's WAL position is after this LSN (the chosen backup's stop)
 * @param targetLsnBefore and at or before this one (a later backup's start, or the last archived
 *     commit)
 * @param currentLsn the server's WAL position when the plan was made (null: server not reachable)
 */
public record WorkAtRisk(
    String fromTime,
    String untilTime,
    long seconds,
    String targetLsnAfter,
    String targetLsnBefore,
    String currentLsn) {

  /** One sentence for the gate. */
  public String describe() {
    return "every commit after " + fromTime + " (" + seconds + " s of writes up to " + untilTime
        + ", plus any until the database stops); WAL from the target's position (between "
        + targetLsnAfter + " and " + targetLsnBefore + ") up to "
        + (currentLsn == null ? "the end of WAL" : "the current LSN " + currentLsn);
  }
}
