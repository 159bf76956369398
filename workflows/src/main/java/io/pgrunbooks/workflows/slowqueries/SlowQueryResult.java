package io.pgrunbooks.workflows.slowqueries;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.common.ScenarioResult;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run found and did.
 *
 * @param status how it ended
 * @param target the target
 * @param thresholdSeconds queries active longer than this were slow
 * @param slow step 1: long-running queries not waiting for a lock
 * @param locks step 1b: lock waits and the sessions heading them
 * @param statistics steps 3 and 5: sequential scans, tables needing VACUUM, slowest statements
 * @param proposed the backends the cancel-queries gate listed (blockers first)
 * @param plan the steps, as planned after the diagnosis
 * @param decisions every gate's outcome, in order
 * @param stopping step 2's outcome (null: not done)
 * @param vacuumed step 4's outcome (null: not done)
 * @param checks the re-check after each change, in order, each saying whether it helped
 * @param findings what the run found, and could not or would not do, for a person
 * @param reason why it stopped early (null when it did not)
 */
public record SlowQueryResult(
    SlowQueryStatus status,
    String target,
    int thresholdSeconds,
    List<Backend> slow,
    LockWaits locks,
    TableStatistics statistics,
    List<Backend> proposed,
    List<String> plan,
    List<GateOutcome> decisions,
    Stopping stopping,
    Vacuumed vacuumed,
    List<String> checks,
    List<String> findings,
    String reason) implements ScenarioResult {

  @Override
  public String outcome() {
    return status.name();
  }

  @Override
  public List<String> actions() {
    List<String> done = new ArrayList<>();
    if (stopping != null) {
      proposed.stream()
          .filter(b -> stopping.stopped().contains(b.pid()) || stopping.notStopped().stream().anyMatch(n -> n.startsWith("pid " + b.pid() + " ")))
          .forEach(b -> done.add((b.stop() == StopMethod.CANCEL ? "cancelled" : "terminated") + " pid " + b.pid()
              + " (" + b.application() + " as " + b.user() + ", " + b.runningSeconds() + " s)"));
    }
    if (vacuumed != null) {
      vacuumed.tables().forEach(t -> done.add("VACUUM (ANALYZE) of " + t));
    }
    return done;
  }
}
