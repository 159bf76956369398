package io.pgrunbooks.api.runs;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping("/api/runs")
class RunsController {
  private final RunService runs;

  RunsController(RunService runs) {
    this.runs = runs;
  }

  /** Starts a run; 202 with its id, where to follow it, and the Web UI link. */
  @Operation(
      summary = "Start a run (operator)",
      description = "Only runbook and target are required; the other fields tune the runbooks that take them and are refused by the others.",
      responses = @ApiResponse(responseCode = "202", description = "started; Location is its status URL"))
  @PostMapping
  ResponseEntity<RunStarted> start(@RequestBody StartRunRequest request, Authentication who) {
    RunStarted started = runs.start(request, who.getName());
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .header("Location", started.statusUrl())
        .body(started);
  }

  /** Recent runs, newest first, optionally of one runbook and target. */
  @Operation(summary = "Recent runs, newest first (viewer)")
  @GetMapping
  List<RunStatus> recent(
      @RequestParam(required = false) String runbook,
      @RequestParam(required = false) String target,
      @RequestParam(defaultValue = "20") int limit) {
    return runs.recent(runbook, target, limit);
  }

  /**
   * A run's status, and its result once completed. {@code wait=N} waits up to N seconds (at most
   * 60) for a running run to finish; a run waiting at a gate says how to decide. Workflow ids
   * contain slashes, so the id is the rest of the path.
   */
  @Operation(
      summary = "A run's status, and its result once completed (viewer)",
      description = "The workflow id is the rest of the path and contains slashes. wait=N waits up to N seconds (at most 60) for a running run to finish.")
  @GetMapping("/{*workflowId}")
  RunStatus status(@PathVariable String workflowId, @RequestParam(defaultValue = "0") int wait) {
    return runs.status(
        workflowId.startsWith("/") ? workflowId.substring(1) : workflowId,
        wait,
        ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString());
  }
}
