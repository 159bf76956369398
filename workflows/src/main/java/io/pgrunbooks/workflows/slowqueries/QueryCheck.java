package io.pgrunbooks.workflows.slowqueries;

import java.util.List;

/**
 * Running queries and lock waits after the cancellations.
 *
 * @param stillRunning pids of the approved backends still running the same statement (or, for a
 *     terminated session, still connected)
 * @param longRunning client backends active for longer than the threshold now
 * @param blocked client backends waiting for a lock another holds now
 */
public record QueryCheck(List<Integer> stillRunning, int longRunning, int blocked) {

  public boolean clean() {
    return stillRunning.isEmpty() && longRunning == 0 && blocked == 0;
  }

  public String describe() {
    return (stillRunning.isEmpty() ? "none of the stopped backends is still running" : "still running: pid(s) " + stillRunning)
        + "; " + longRunning + " quer(ies) over the threshold and " + blocked + " blocked session(s) now"
        + (clean() ? ": cured" : ": NOT cured");
  }
}
