package io.pgrunbooks.api.approvals;

import io.pgrunbooks.workflows.approval.DecisionCommandLines;
import io.pgrunbooks.workflows.approval.GateView;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The exact commands that approve or reject a gate, so that nobody has to compose them under stress. */
@Component
class DecisionCommands {
  private final String temporalAddress;
  private final String namespace;

  DecisionCommands(
      @Value("${spring.temporal.connection.target}") String temporalAddress,
      @Value("${pgrunbooks.namespace:default}") String namespace) {
    this.temporalAddress = temporalAddress;
    this.namespace = namespace;
  }

  PendingGate pending(String apiBase, String workflowId, GateView gate) {
    return new PendingGate(
        gate.gateId(),
        gate.description(),
        gate.digest(),
        gate.openedAt(),
        command(apiBase, workflowId, gate, true),
        command(apiBase, workflowId, gate, false));
  }

  private DecisionCommand command(String apiBase, String workflowId, GateView gate, boolean approve) {
    return new DecisionCommand(
        DecisionCommandLines.curl(apiBase, workflowId, gate.gateId(), gate.digest(), approve),
        DecisionCommandLines.temporal(temporalAddress, namespace, workflowId, gate.gateId(), gate.digest(), approve));
  }
}
