package io.pgrunbooks.workflows.assessment;

/**
 * Reachability and readiness of the primary, as {@code pg_isready} reports it.
 *
 * @param state what pg_isready would say
 * @param endpoint host:port that was tried
 * @param detail the server's or the network's own words when not accepting
 * @param sqlState the SQLSTATE of a refused attempt (57P03 starting up, 53300 too many clients)
 * @param responseMillis how long the answer took
 */
public record Readiness(
    ReadinessState state, String endpoint, String detail, String sqlState, long responseMillis) {

  /** SQLSTATE of "sorry, too many clients already". */
  public static final String TOO_MANY_CONNECTIONS = "53300";

  public boolean accepting() {
    return state == ReadinessState.ACCEPTING;
  }
}
