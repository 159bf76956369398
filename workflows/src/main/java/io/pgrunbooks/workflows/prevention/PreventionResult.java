package io.pgrunbooks.workflows.prevention;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.common.ScenarioResult;
import java.util.List;

/**
 * What EnablePgStatStatements found and did.
 *
 * @param outcome PLANNED, DONE, NOTHING_TO_DO or REJECTED
 * @param target the target
 * @param before the state found first
 * @param after the state after the changes (null when nothing was changed)
 * @param plan the steps as planned
 * @param decisions every gate's outcome
 * @param actions each change made
 * @param findings what could not or would not be done, for a person
 * @param checks the re-check after the changes
 * @param reason why the run stopped early (null when it did not)
 */
public record PreventionResult(
    String outcome,
    String target,
    StatementStatistics before,
    StatementStatistics after,
    List<String> plan,
    List<GateOutcome> decisions,
    List<String> actions,
    List<String> findings,
    List<String> checks,
    String reason) implements ScenarioResult {}
