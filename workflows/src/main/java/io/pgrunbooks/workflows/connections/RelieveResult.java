package io.pgrunbooks.workflows.connections;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.common.ScenarioResult;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run found and did.
 *
 * @param status how it ended
 * @param target the target
 * @param diagnosis step 1
 * @param plan the steps, as planned after the diagnosis
 * @param decisions every gate's outcome, in order
 * @param termination step 2's outcome (null: not done)
 * @param restarted deployments restarted in step 3 ("namespace/name")
 * @param maxConnections the max_connections set in step 4 (null: not changed)
 * @param checks the re-check after each change, in order, each with the step before it
 * @param findings what the run could not or would not do, for a person
 * @param reason why it stopped early (null when it did not)
 */
public record RelieveResult(
    RelieveStatus status,
    String target,
    ConnectionDiagnosis diagnosis,
    List<String> plan,
    List<GateOutcome> decisions,
    Termination termination,
    List<String> restarted,
    Integer maxConnections,
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
    if (termination != null && !termination.terminated().isEmpty()) {
      done.add("terminated idle session(s) " + termination.terminated());
    }
    restarted.forEach(d -> done.add("rollout restart of deployment " + d));
    if (maxConnections != null) {
      done.add("max_connections set to " + maxConnections + " and the server restarted");
    }
    return done;
  }
}
