package io.pgrunbooks.workflows.restore;

import io.pgrunbooks.workflows.approval.GateOutcome;

/**
 * What a drop did.
 *
 * @param status DROPPED, REJECTED or PLANNED (dry run)
 * @param database what it found
 * @param decision the gate's outcome (null for a dry run)
 */
public record DropLeftoverResult(String status, LeftoverDatabase database, GateOutcome decision) {}
