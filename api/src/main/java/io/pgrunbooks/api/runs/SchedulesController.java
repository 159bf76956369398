package io.pgrunbooks.api.runs;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Recurring runs (maintenance, backups, restore tests) as Temporal Schedules. */
@RestController
@RequestMapping("/api/schedules")
class SchedulesController {
  private final ScheduleService schedules;

  SchedulesController(ScheduleService schedules) {
    this.schedules = schedules;
  }

  @Operation(
      summary = "Create a schedule (operator): one per runbook and target",
      responses = @ApiResponse(responseCode = "201", description = "created"))
  @PostMapping
  ResponseEntity<ScheduleView> create(@RequestBody ScheduleRequest request, Authentication who) {
    return ResponseEntity.status(HttpStatus.CREATED).body(schedules.create(request, who.getName()));
  }

  @Operation(summary = "Every schedule (viewer)")
  @GetMapping
  List<ScheduleView> list() {
    return schedules.list();
  }

  /** Schedule ids contain a slash ({@code run-maintenance/demo}): the id is the rest of the path. */
  @Operation(
      summary = "Delete a schedule (operator); its id is the rest of the path, e.g. run-maintenance/demo",
      responses = @ApiResponse(responseCode = "204", description = "deleted"))
  @DeleteMapping("/{*id}")
  ResponseEntity<Void> delete(@PathVariable String id) {
    schedules.delete(id.startsWith("/") ? id.substring(1) : id);
    return ResponseEntity.noContent().build();
  }
}
