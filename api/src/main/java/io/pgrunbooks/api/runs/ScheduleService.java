package io.pgrunbooks.api.runs;

import io.pgrunbooks.api.errors.BadRequest;
import io.pgrunbooks.api.errors.Conflict;
import io.pgrunbooks.api.errors.NotFound;
import io.pgrunbooks.api.targets.KnownTargets;
import io.pgrunbooks.workflows.catalog.RunbookCatalog;
import io.pgrunbooks.workflows.catalog.RunbookDescriptor;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Temporal Schedules for the runbooks that are meant to recur (the seed's CronJobs): one schedule
 * per runbook and target. A run that would overlap the previous one is skipped, and a schedule
 * missed while the server was down catches up within an hour, else waits for its next time.
 */
@Service
class ScheduleService {
  private static final Set<RunbookDescriptor> SCHEDULABLE =
      Set.of(RunbookCatalog.RUN_MAINTENANCE, RunbookCatalog.BACKUP_DATABASES, RunbookCatalog.VERIFY_BACKUP);

  private final ScheduleClient schedules;
  private final RunService runs;
  private final KnownTargets targets;

  ScheduleService(WorkflowClient client, RunService runs, KnownTargets targets) {
    this.schedules = ScheduleClient.newInstance(
        client.getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder().setNamespace(client.getOptions().getNamespace()).build());
    this.runs = runs;
    this.targets = targets;
  }

  ScheduleView create(ScheduleRequest request, String requestedBy) {
    if (request == null || request.run() == null || request.cron() == null || request.cron().isBlank()) {
      throw new BadRequest("'cron' (e.g. \"0 2 * * 0\") and 'run' (the body POST /api/runs takes) are required");
    }
    StartRunRequest run = request.run();
    RunbookDescriptor runbook = RunbookCatalog.find(run.runbook())
        .filter(SCHEDULABLE::contains)
        .orElseThrow(() -> new BadRequest("runbook '" + run.runbook() + "' cannot be scheduled; these can: "
            + SCHEDULABLE.stream().map(RunbookDescriptor::name).sorted().toList()));
    if (run.target() == null || !targets.contains(run.target())) {
      throw new BadRequest("unknown target '" + run.target() + "'; one of " + targets.names());
    }
    if (request.cron().trim().split("\\s+").length != 5) {
      throw new BadRequest("'cron' needs five fields (minute hour day-of-month month day-of-week), e.g. \"0 2 * * 0\"");
    }
    Object input = RunInputs.of(runbook, run, "schedule by " + requestedBy);
    String id = runbook.name() + "/" + run.target();
    Schedule schedule = Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(runbook.workflowType())
            .setArguments(input)
            .setOptions(runs.options(runbook, run.target(), "schedule by " + requestedBy, id + "/scheduled"))
            .build())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of(request.cron().trim())).build())
        .setPolicy(SchedulePolicy.newBuilder()
            .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
            .setCatchupWindow(Duration.ofHours(1))
            .build())
        .setState(ScheduleState.newBuilder().setNote("created by " + requestedBy).build())
        .build();
    try {
      schedules.createSchedule(id, schedule, ScheduleOptions.newBuilder().build());
    } catch (ScheduleAlreadyRunningException e) {
      throw new Conflict("schedule " + id + " exists; delete it first (DELETE /api/schedules/" + id + ")");
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).toLowerCase().contains("invalid")) {
        throw new BadRequest("the server refused the schedule: " + e.getMessage());
      }
      throw e;
    }
    return view(id);
  }

  List<ScheduleView> list() {
    return schedules.listSchedules().map(s -> view(s.getScheduleId())).toList();
  }

  void delete(String id) {
    try {
      schedules.getHandle(id).describe();
    } catch (RuntimeException e) {
      throw new NotFound("no schedule '" + id + "'");
    }
    schedules.getHandle(id).delete();
  }

  private ScheduleView view(String id) {
    ScheduleDescription d = schedules.getHandle(id).describe();
    ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) d.getSchedule().getAction();
    return new ScheduleView(
        id, action.getWorkflowType(), d.getSchedule().getSpec().getCronExpressions(),
        d.getInfo().getNextActionTimes().stream().limit(3).map(Object::toString).toList(),
        d.getSchedule().getState() != null && d.getSchedule().getState().isPaused(),
        d.getSchedule().getState() == null ? null : d.getSchedule().getState().getNote());
  }
}
