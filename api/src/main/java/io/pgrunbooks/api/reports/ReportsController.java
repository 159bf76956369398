package io.pgrunbooks.api.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgrunbooks.api.errors.Conflict;
import io.pgrunbooks.api.errors.NotFound;
import io.pgrunbooks.api.temporal.Executions;
import io.pgrunbooks.workflows.backupfailure.RespondToBackupFailureWorkflow;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.response.RespondToDatabaseFailureWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/reports/{id}}: the report a finished response run wrote, as Markdown: a
 * RespondToDatabaseFailure run's incident report (the seed's template, filled in) or a
 * RespondToBackupFailure run's backup-failure report. The structured report is the run's result at
 * {@code GET /api/runs/{id}}.
 */
@RestController
@RequestMapping("/api/reports")
class ReportsController {
  static final MediaType MARKDOWN = MediaType.parseMediaType("text/markdown;charset=UTF-8");

  /** The runbooks that write a report, and the field of their result that holds its Markdown. */
  static final Map<String, String> MARKDOWN_FIELD = Map.of(
      RespondToDatabaseFailureWorkflow.TYPE, "markdown",
      RespondToBackupFailureWorkflow.TYPE, "report");

  private final WorkflowClient client;

  ReportsController(WorkflowClient client) {
    this.client = client;
  }

  @Operation(summary = "The Markdown report of a completed response run (viewer)")
  @GetMapping(value = "/{*workflowId}", produces = "text/markdown")
  ResponseEntity<String> report(@PathVariable String workflowId) {
    String id = workflowId.startsWith("/") ? workflowId.substring(1) : workflowId;
    WorkflowExecutionDescription d = Executions.describe(client, id);
    String field = MARKDOWN_FIELD.get(d.getWorkflowType());
    if (field == null) {
      throw new NotFound("run " + id + " is a " + d.getWorkflowType() + " run; only " + String.join(" and ", new TreeSet<>(MARKDOWN_FIELD.keySet()))
          + " runs write a report");
    }
    if (d.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      throw new Conflict("run " + id + " is " + Executions.statusName(d.getStatus()) + " (phase "
          + d.getTypedSearchAttributes().get(RunbookSearchAttributes.PHASE) + "): the report is written when it completes");
    }
    JsonNode result = client.newUntypedWorkflowStub(id).getResult(JsonNode.class);
    return ResponseEntity.ok().contentType(MARKDOWN).body(result.path(field).asText());
  }
}
