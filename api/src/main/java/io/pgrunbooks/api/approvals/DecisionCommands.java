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
  private final boolean namespaceTrusted;

  /**
   * @param namespaceTrusted {@code pgrunbooks.approvals.trust-namespace}, as the workers have it: only
   *     then does an approval sent with the Temporal CLI count, so only then is it offered
   */
  DecisionCommands(
      @Value("${spring.temporal.connection.target}") String temporalAddress,
      @Value("${pgrunbooks.namespace:default}") String namespace,
      @Value("${pgrunbooks.approvals.trust-namespace:false}") boolean namespaceTrusted) {
    this.temporalAddress = temporalAddress;
    this.namespace = namespace;
    this.namespaceTrusted = namespaceTrusted;
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
    String curl = DecisionCommandLines.curl(apiBase, workflowId, gate.gateId(), gate.digest(), approve);
    if (approve && !namespaceTrusted) {
      return new DecisionCommand(curl, null); // an unsigned approval is refused by the run: not offered
    }
    return new DecisionCommand(
        curl, DecisionCommandLines.temporal(temporalAddress, namespace, workflowId, gate.gateId(), gate.digest(), approve));
  }
}
