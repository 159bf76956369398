package io.pgrunbooks.api.approvals;

import io.pgrunbooks.api.errors.BadRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Decisions at a run's approval gates. Workflow ids contain slashes, so the id is the rest of the path. */
@RestController
@RequestMapping("/api/approvals")
class ApprovalsController {
  private final ApprovalService approvals;

  ApprovalsController(ApprovalService approvals) {
    this.approvals = approvals;
  }

  /** Approves or rejects as the caller; 202 once the run received it, with the gate it sees now. */
  @Operation(
      summary = "Approve (approver) or reject (operator or approver) at an open gate, as the token's person",
      description = "The workflow id is the rest of the path. Nobody approves a run they started.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true, content = @Content(schema = @Schema(implementation = DecisionFields.class))),
      responses = @ApiResponse(responseCode = "202", description = "the run received the decision"))
  @PostMapping("/{*workflowId}")
  ResponseEntity<DecisionSent> decide(
      @PathVariable String workflowId, @RequestBody Map<String, Object> body, Authentication who) {
    DecisionSent sent = approvals.decide(id(workflowId), DecisionRequest.from(body), who);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(sent);
  }

  /** Every gate of the run and every decision on it (closed runs too, while a worker runs). */
  @Operation(summary = "Every gate of a run and every decision on it (viewer)")
  @GetMapping("/{*workflowId}")
  ApprovalAudit audit(@PathVariable String workflowId) {
    return approvals.audit(id(workflowId));
  }

  private static String id(String path) {
    String id = path.startsWith("/") ? path.substring(1) : path;
    if (id.isBlank()) {
      throw new BadRequest("name the run: /api/approvals/<workflow id>");
    }
    return id;
  }
}
