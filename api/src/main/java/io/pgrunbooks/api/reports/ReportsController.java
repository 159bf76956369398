package io.pgrunbooks.api.reports;

import io.pgrunbooks.api.errors.Conflict;
import io.pgrunbooks.api.errors.NotFound;
import io.pgrunbooks.api.temporal.Executions;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.response.IncidentReport;
import io.pgrunbooks.workflows.response.RespondToDatabaseFailureWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/reports/{id}}: the incident report a finished RespondToDatabaseFailure run wrote,
 * as Markdown (the seed's template, filled in). The structured report is the run's result at
 * {@code GET /api/runs/{id}}.
 */
@RestController
@RequestMapping("/api/reports")
class ReportsController {
  static final MediaType MARKDOWN = MediaType.parseMediaType("text/markdown;charset=UTF-8");

  private final WorkflowClient client;

  ReportsController(WorkflowClient client) {
    this.client = client;
  }

  @GetMapping("/{*workflowId}")
  ResponseEntity<String> report(@PathVariable String workflowId) {
    String id = workflowId.startsWith("/") ? workflowId.substring(1) : workflowId;
    WorkflowExecutionDescription d = Executions.describe(client, id);
    if (!RespondToDatabaseFailureWorkflow.TYPE.equals(d.getWorkflowType())) {
      throw new NotFound("run " + id + " is a " + d.getWorkflowType() + " run; only " + RespondToDatabaseFailureWorkflow.TYPE
          + " runs write an incident report");
    }
    if (d.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      throw new Conflict("run " + id + " is " + Executions.statusName(d.getStatus()) + " (phase "
          + d.getTypedSearchAttributes().get(RunbookSearchAttributes.PHASE) + "): the report is written when it completes");
    }
    IncidentReport report = client.newUntypedWorkflowStub(id).getResult(IncidentReport.class);
    return ResponseEntity.ok().contentType(MARKDOWN).body(report.markdown());
  }
}
