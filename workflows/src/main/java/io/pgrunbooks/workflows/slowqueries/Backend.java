package io.pgrunbooks.workflows.slowqueries;

import java.util.List;

/**
 * A client backend the {@code cancel-queries} gate proposes to stop, as the gate shows it.
 *
 * @param pid the backend's process id
 * @param backendStart RFC 3339; with the pid it names the session (a pid may be reused)
 * @param queryStart RFC 3339: start of its current (or, when idle, last) statement; a different one
 *     at the time of acting means it is no longer the statement that was approved
 * @param xactStart RFC 3339: start of its open transaction (null: none)
 * @param state active, idle in transaction, ...
 * @param user the role
 * @param application application_name
 * @param clientAddr the client's address (null: a Unix socket)
 * @param database the database it is connected to
 * @param waitEvent wait_event_type:wait_event (null: not waiting)
 * @param runningSeconds seconds since queryStart (active) or xactStart (in a transaction), at diagnosis
 * @param query the statement, whitespace collapsed, at most {@link #QUERY_EXCERPT} characters
 * @param stop how it would be stopped
 * @param blocking the pids waiting for its locks (empty: a long-running query that blocks nobody)
 */
public record Backend(
    int pid,
    String backendStart,
    String queryStart,
    String xactStart,
    String state,
    String user,
    String application,
    String clientAddr,
    String database,
    String waitEvent,
    long runningSeconds,
    String query,
    StopMethod stop,
    List<Integer> blocking) {
  /** Characters of a statement kept: enough to recognise it, bounded for the gate and the history. */
  public static final int QUERY_EXCERPT = 200;

  public Backend {
    blocking = blocking == null ? List.of() : List.copyOf(blocking);
  }

  /** Whether it is proposed because others wait for its locks. */
  public boolean blocksOthers() {
    return !blocking.isEmpty();
  }

  /** "cancel pid 4711 (app@10.0.0.5 as link on link_users, active since ... (312 s): "select ...")". */
  public String describe() {
    return (stop == StopMethod.CANCEL ? "cancel " : "terminate ") + summary();
  }

  /** "pid 4711 (app@10.0.0.5 as link on link_users, active since ... (312 s): "select ...")". */
  public String summary() {
    String since = "active".equals(state)
        ? "active since " + queryStart
        : state + (xactStart == null ? "" : ", in a transaction since " + xactStart);
    return "pid " + pid + " ("
        + (application == null || application.isEmpty() ? "?" : application) + "@" + (clientAddr == null ? "local" : clientAddr)
        + " as " + user + " on " + database + ", " + since + " (" + runningSeconds + " s)"
        + (waitEvent == null ? "" : ", waiting on " + waitEvent) + ": \"" + query + "\")";
  }

  /** Why it is proposed. */
  public String why() {
    if (blocksOthers()) {
      return "it blocks pid(s) " + blocking
          + (stop == StopMethod.TERMINATE ? "; it is " + state + ", so only ending the session releases its locks" : "");
    }
    return "running for " + runningSeconds + " s";
  }
}
