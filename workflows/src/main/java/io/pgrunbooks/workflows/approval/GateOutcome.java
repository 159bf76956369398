package io.pgrunbooks.workflows.approval;

/**
 * How a gate ended.
 *
 * @param gateId the gate
 * @param approved whether the step may go ahead
 * @param decidedBy the person, or {@code timeout}
 * @param comment the person's comment, or why the gate aborted
 * @param decidedAt RFC 3339
 */
public record GateOutcome(String gateId, boolean approved, String decidedBy, String comment, String decidedAt) {

  /** Why a run stopped at this gate, for its result and current details. */
  public String refusal() {
    return "gate " + gateId + " " + ("timeout".equals(decidedBy) ? "timed out" : "rejected by " + decidedBy)
        + (comment == null ? "" : ": " + comment) + "; its step and the ones after it were not done";
  }
}
