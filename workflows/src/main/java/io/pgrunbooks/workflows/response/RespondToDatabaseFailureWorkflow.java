package io.pgrunbooks.workflows.response;

import io.pgrunbooks.workflows.alerts.AlertSignals;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Database Failures Response, whole. The repair itself is a child run of the chosen scenario, whose
 * gates people approve as usual (on the child's id); a person can steer this run with signals.
 * Alert notifications (repeats, the resolve) are recorded on the run ({@link AlertSignals}).
 */
@WorkflowInterface
public interface RespondToDatabaseFailureWorkflow extends AlertSignals {
  String TYPE = "RespondToDatabaseFailure";

  @WorkflowMethod(name = TYPE)
  IncidentReport respond(IncidentRequest request);

  /**
   * Runs another scenario than the assessment's. Before the scenario has started it replaces it;
   * while one runs, the chosen one runs after it (reject the running one's gate to stop it first).
   */
  @SignalMethod
  void chooseScenario(ScenarioChoice choice);

  /** Ends the run after the diagnosis, with the report; too late once the scenario has started. */
  @SignalMethod
  void stopAfterDiagnosis(ScenarioChoice request);

  /** Where the run is and who steered it: the scenario chosen, by whom, and the child runs' ids. */
  @QueryMethod
  ResponseState state();
}
