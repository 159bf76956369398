package io.pgrunbooks.api.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pgrunbooks.api.errors.NotFound;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;

/** A run's description, with "no such run" as the 404 a person expects. */
public final class Executions {
  private Executions() {}

  public static WorkflowExecutionDescription describe(WorkflowClient client, String workflowId) {
    try {
      return client.newUntypedWorkflowStub(workflowId).describe();
    } catch (WorkflowNotFoundException e) {
      throw notFound(workflowId);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw notFound(workflowId);
      }
      throw e;
    }
  }

  public static NotFound notFound(String workflowId) {
    return new NotFound("no run with id '" + workflowId + "'");
  }

  /** RUNNING, COMPLETED, FAILED, ...: the enum's name without its prefix. */
  public static String statusName(WorkflowExecutionStatus s) {
    return s.name().replace("WORKFLOW_EXECUTION_STATUS_", "");
  }
}
