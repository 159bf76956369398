package io.pgrunbooks.workflows.replication;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.common.ScenarioResult;
import java.util.List;

/**
 * What a run found and did.
 *
 * @param status how it ended
 * @param target the target
 * @param primary step 1: the primary's view of its standbys and slots
 * @param replicas step 2: each replica from itself
 * @param connectivity step 3: TCP connects to every server's port
 * @param archiver step 4: WAL archiving
 * @param plan the steps, as planned after the diagnosis
 * @param repairs the fixes decided, in order
 * @param decisions every gate's outcome, in order
 * @param actions each change made, in plain words
 * @param samples every lag sample of the re-checks, in order
 * @param checks the re-check after each change: the lag's trend and whether it caught up
 * @param recovered whether every repaired replica caught up (null: nothing was repaired)
 * @param findings what the run found, and what it could not or would not do, for a person
 * @param reason why it stopped early (null when it did not)
 */
public record ReplicationResult(
    ReplicationStatus status,
    String target,
    PrimaryReplication primary,
    List<ReplicaStatus> replicas,
    List<PortCheck> connectivity,
    ArchiverStatus archiver,
    List<String> plan,
    List<ReplicaRepair> repairs,
    List<GateOutcome> decisions,
    List<String> actions,
    List<LagSample> samples,
    List<String> checks,
    Boolean recovered,
    List<String> findings,
    String reason) implements ScenarioResult {

  @Override
  public String outcome() {
    return status.name();
  }
}
