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
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
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
    String id = idOf(request);
    try {
      schedules.createSchedule(id, schedule(request, requestedBy), ScheduleOptions.newBuilder().build());
    } catch (ScheduleAlreadyRunningException e) {
      throw new Conflict("schedule " + id + " exists; delete it first (DELETE /api/schedules/" + id + ")");
    } catch (RuntimeException e) {
      throw refused(e);
    }
    return view(id);
  }

  /** Creates the schedule, or makes an existing one say what the request says (configuration at start-up). */
  ScheduleView apply(ScheduleRequest request, String requestedBy) {
    String id = idOf(request);
    Schedule schedule = schedule(request, requestedBy);
    try {
      schedules.createSchedule(id, schedule, ScheduleOptions.newBuilder().build());
    } catch (ScheduleAlreadyRunningException e) {
      schedules.getHandle(id).update(input -> new ScheduleUpdate(schedule));
    } catch (RuntimeException e) {
      throw refused(e);
    }
    return view(id);
  }

  /** {@code <runbook>/<target>}, once the request is checked: one schedule per runbook and target. */
  private String idOf(ScheduleRequest request) {
    if (request == null || request.run() == null) {
      throw new BadRequest("'run' (the body POST /api/runs takes) and 'cron' (e.g. \"0 2 * * 0\") or 'intervalSeconds' are required");
    }
    boolean cron = request.cron() != null && !request.cron().isBlank();
    if (cron == (request.intervalSeconds() != null)) {
      throw new BadRequest("give either 'cron' (e.g. \"0 2 * * 0\") or 'intervalSeconds', not both and not neither");
    }
    if (cron && request.cron().trim().split("\\s+").length != 5) {
      throw new BadRequest("'cron' needs five fields (minute hour day-of-month month day-of-week), e.g. \"0 2 * * 0\"");
    }
    if (!cron && (request.intervalSeconds() < 10 || request.intervalSeconds() > 31L * 86_400)) {
      throw new BadRequest("'intervalSeconds' must be between 10 and 2678400 (31 days)");
    }
    RunbookDescriptor runbook = runbookOf(request.run());
    if (request.run().target() == null || !targets.contains(request.run().target())) {
      throw new BadRequest("unknown target '" + request.run().target() + "'; one of " + targets.names());
    }
    return runbook.name() + "/" + request.run().target();
  }

  private static RunbookDescriptor runbookOf(StartRunRequest run) {
    return RunbookCatalog.find(run.runbook())
        .filter(SCHEDULABLE::contains)
        .orElseThrow(() -> new BadRequest("runbook '" + run.runbook() + "' cannot be scheduled; these can: "
            + SCHEDULABLE.stream().map(RunbookDescriptor::name).sorted().toList()));
  }

  private Schedule schedule(ScheduleRequest request, String requestedBy) {
    StartRunRequest run = request.run();
    RunbookDescriptor runbook = runbookOf(run);
    Object input = RunInputs.of(runbook, run, "schedule by " + requestedBy);
    String id = runbook.name() + "/" + run.target();
    ScheduleSpec spec = request.cron() != null && !request.cron().isBlank()
        ? ScheduleSpec.newBuilder().setCronExpressions(List.of(request.cron().trim())).build()
        : ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofSeconds(request.intervalSeconds())))).build();
    return Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(runbook.workflowType())
            .setArguments(input)
            .setOptions(runs.options(runbook, run.target(), "schedule by " + requestedBy, id + "/scheduled"))
            .build())
        .setSpec(spec)
        .setPolicy(SchedulePolicy.newBuilder()
            .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
            .setCatchupWindow(Duration.ofHours(1))
            .build())
        .setState(ScheduleState.newBuilder().setNote("created by " + requestedBy).build())
        .build();
  }

  private static RuntimeException refused(RuntimeException e) {
    if (String.valueOf(e.getMessage()).toLowerCase().contains("invalid")) {
      return new BadRequest("the server refused the schedule: " + e.getMessage());
    }
    return e;
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
        id, action.getWorkflowType(), specOf(d.getSchedule().getSpec()),
        d.getInfo().getNextActionTimes().stream().limit(3).map(Object::toString).toList(),
        d.getSchedule().getState() != null && d.getSchedule().getState().isPaused(),
        d.getSchedule().getState() == null ? null : d.getSchedule().getState().getNote());
  }

  /** The cron expressions, or "every N s" for intervals. */
  private static List<String> specOf(ScheduleSpec spec) {
    List<String> when = new java.util.ArrayList<>(spec.getCronExpressions());
    spec.getIntervals().forEach(i -> when.add("every " + i.getEvery().toSeconds() + " s"));
    return when;
  }
}
