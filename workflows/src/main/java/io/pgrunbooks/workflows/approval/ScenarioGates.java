package io.pgrunbooks.workflows.approval;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The gates of a repair scenario run (the contract every scenario meets): each on the run's target,
 * 30 minutes to decide and then the run ends there ({@link OnTimeout#ABORT}); every outcome kept in
 * order for the result, and the one sentence a run that stopped at a gate ends with.
 */
public final class ScenarioGates {
  /** An incident's picture goes stale: a gate nobody decides on within this ends the run. */
  public static final Duration TIMEOUT = Duration.ofMinutes(30);

  private final ApprovalGate gate;
  private final List<GateOutcome> outcomes = new ArrayList<>();

  public ScenarioGates(ApprovalGate gate) {
    this.gate = gate;
  }

  /** Opens the gate {@code gateId} on "target {@code target}" and waits for its outcome. */
  public GateOutcome ask(String gateId, String action, String target, String why) {
    GateOutcome outcome = gate.await(new GateRequest(gateId, action, "target " + target, why, TIMEOUT, OnTimeout.ABORT));
    outcomes.add(outcome);
    return outcome;
  }

  /** Every outcome so far, in order. */
  public List<GateOutcome> outcomes() {
    return List.copyOf(outcomes);
  }
}
