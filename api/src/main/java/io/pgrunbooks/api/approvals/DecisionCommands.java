package io.pgrunbooks.api.approvals;

import io.pgrunbooks.workflows.approval.GateView;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

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
        command(apiBase, workflowId, gate, "approve", "<why it is safe now>"),
        command(apiBase, workflowId, gate, "reject", "<why not>"));
  }

  private DecisionCommand command(String apiBase, String workflowId, GateView gate, String decision, String comment) {
    String body =
        "{\"gateId\":" + json(gate.gateId()) + ",\"decision\":\"" + decision + "\",\"digest\":"
            + json(gate.digest()) + ",\"comment\":\"" + comment + "\"}";
    String curl =
        "curl -X POST -H \"Authorization: Bearer $PGRUNBOOKS_TOKEN\" -H 'Content-Type: application/json' -d "
            + shell(body) + " " + shell(apiBase + "/api/approvals/" + UriUtils.encodePath(workflowId, StandardCharsets.UTF_8));
    String signal =
        "{\"gateId\":" + json(gate.gateId()) + ",\"person\":\"<your name>\",\"digest\":" + json(gate.digest())
            + ",\"comment\":\"" + comment + "\",\"expiresAt\":null}";
    if ("approve".equals(decision) && !namespaceTrusted) {
      return new DecisionCommand(curl, null); // an unsigned approval is refused by the run: not offered
    }
    String temporal =
        "temporal workflow signal --address " + shell(temporalAddress) + " --namespace " + shell(namespace)
            + " --workflow-id " + shell(workflowId) + " --name " + decision + " --input " + shell(signal);
    return new DecisionCommand(curl, temporal);
  }

  /** A JSON string literal. */
  private static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** One shell word, whatever it contains. */
  private static String shell(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
