package io.pgrunbooks.workflows.slowqueries;

import java.util.List;

/**
 * A session waiting for a lock, and who it waits for (pg_blocking_pids).
 *
 * @param pid the waiting backend
 * @param user its role
 * @param application its application_name
 * @param database its database
 * @param waitEvent wait_event_type:wait_event, e.g. Lock:transactionid
 * @param waitingSeconds seconds since its statement started
 * @param query its statement, bounded as {@link Backend#query()}
 * @param blockedBy the pids holding (or queued ahead for) the lock it wants
 */
public record LockWait(
    int pid, String user, String application, String database, String waitEvent, long waitingSeconds, String query,
    List<Integer> blockedBy) {

  public LockWait {
    blockedBy = blockedBy == null ? List.of() : List.copyOf(blockedBy);
  }

  public String describe() {
    return "pid " + pid + " (" + application + " as " + user + " on " + database + ", waiting " + waitingSeconds + " s on "
        + waitEvent + ": \"" + query + "\") is blocked by " + blockedBy;
  }
}
