package io.pgrunbooks.workflows.connections;

import io.pgrunbooks.workflows.approval.ApprovalSignals;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Seed 000, "Scenario 2: Connection Pool Exhaustion": see who holds the connections, then (each
 * after its own approval) end long-idle sessions, restart the applications' pools, raise
 * max_connections; re-check usage after every change.
 */
@WorkflowInterface
public interface RelieveConnectionExhaustionWorkflow extends ApprovalSignals {
  String TYPE = "RelieveConnectionExhaustion";
  String TERMINATE_GATE = "terminate-idle-backends";
  String RESTART_GATE = "restart-applications";
  String MAX_CONNECTIONS_GATE = "raise-max-connections";

  @WorkflowMethod(name = TYPE)
  RelieveResult relieve(ConnectionRequest request);
}
