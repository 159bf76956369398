package io.pgrunbooks.workflows.common;

import io.pgrunbooks.workflows.approval.GateOutcome;
import java.util.List;

/**
 * What every repair scenario's result tells the failure response and its incident report, whatever
 * else the scenario records. Implemented by the scenarios' result records.
 */
public interface ScenarioResult {

  /** How the run ended, one word: PLANNED (dry run), DONE, NOTHING_TO_DO, REJECTED or FAILED. */
  String outcome();

  /** Every gate's outcome, in order: who decided, when, with which comment. */
  List<GateOutcome> decisions();

  /** Each change made, in order, in plain words (e.g. "cancelled pid 4711 (app, running 12 min)"). */
  List<String> actions();

  /** What the run found, and what it could not or would not do, for a person. */
  List<String> findings();

  /** The re-check after each change, in order: whether it helped. */
  List<String> checks();

  /** For the incident report: "no", or what may be lost (a restore loses what was written after its backup). */
  default String dataLoss() {
    return "no: nothing was restored or rolled back";
  }

  /** For the incident report: error messages the scenario saw (e.g. a crashed server's FATAL lines). */
  default List<String> errorsSeen() {
    return List.of();
  }
}
