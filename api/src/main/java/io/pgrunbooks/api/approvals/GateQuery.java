package io.pgrunbooks.api.approvals;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pgrunbooks.api.errors.Unavailable;
import io.pgrunbooks.api.temporal.Executions;
import io.pgrunbooks.workflows.approval.GateView;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowServiceException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The run's {@code approvals} query. A worker answers it, for closed runs too (it replays the
 * history), so no worker means no answer: that is a 503 with the reason, not Temporal's error.
 */
final class GateQuery {
  private GateQuery() {}

  /** Every gate the run opened; empty when its workflow has no gates at all (no such query). */
  static Optional<List<GateView>> gates(WorkflowClient client, String workflowId) {
    try {
      return Optional.of(
          List.of(client.newUntypedWorkflowStub(workflowId).query("approvals", GateView[].class)));
    } catch (WorkflowNotFoundException e) {
      throw Executions.notFound(workflowId);
    } catch (WorkflowQueryException e) {
      if (message(e).contains("unknown query type")) {
        return Optional.empty();
      }
      throw e;
    } catch (WorkflowServiceException e) {
      if (e.getCause() instanceof StatusRuntimeException s
          && s.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
        throw new Unavailable(
            "no worker answered run '" + workflowId + "''s approvals query in time: is a worker running on its task queue?");
      }
      throw e;
    }
  }

  private static String message(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append(' ');
    }
    return all.toString().toLowerCase(Locale.ROOT);
  }
}
