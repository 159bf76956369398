package io.pgrunbooks.api.runs;

import io.pgrunbooks.api.approvals.ApprovalService;
import io.pgrunbooks.api.approvals.PendingGate;
import io.pgrunbooks.api.errors.BadRequest;
import io.pgrunbooks.api.errors.Conflict;
import io.pgrunbooks.api.targets.KnownTargets;
import io.pgrunbooks.api.temporal.Executions;
import io.pgrunbooks.workflows.assessment.AssessmentRequest;
import io.pgrunbooks.workflows.backup.BackupFormat;
import io.pgrunbooks.workflows.backup.BackupRequest;
import io.pgrunbooks.workflows.backup.VerifyRequest;
import io.pgrunbooks.workflows.catalog.RunbookCatalog;
import io.pgrunbooks.workflows.catalog.RunbookDescriptor;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.PendingChildExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.common.converter.DataConverter;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.TemporalFailure;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/** Starts and reads runs through the Temporal client. */
@Service
public class RunService {
  /** Names that reach a visibility query or a workflow id: letters, digits, dot, dash, underscore. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final WorkflowClient client;
  private final KnownTargets targets;
  private final RunsProperties properties;
  private final Clock clock;
  private final ApprovalService approvals;

  RunService(WorkflowClient client, KnownTargets targets, RunsProperties properties, ApprovalService approvals) {
    this.client = client;
    this.targets = targets;
    this.properties = properties;
    this.clock = Clock.systemUTC();
    this.approvals = approvals;
  }

  RunStarted start(StartRunRequest request, String requestedBy) {
    if (request == null || request.runbook() == null || request.runbook().isBlank()) {
      throw new BadRequest("'runbook' is required; one of " + runbookNames());
    }
    RunbookDescriptor runbook =
        RunbookCatalog.find(request.runbook())
            .orElseThrow(
                () -> new BadRequest("unknown runbook '" + request.runbook() + "'; one of " + runbookNames()));
    if (request.target() == null || request.target().isBlank()) {
      throw new BadRequest("'target' is required; one of " + targets.names());
    }
    if (!targets.contains(request.target())) {
      throw new BadRequest("unknown target '" + request.target() + "'; one of " + targets.names());
    }
    Object input = RunInputs.of(runbook, request, requestedBy);
    boolean destructive = RunInputs.isDestructive(runbook, request);
    // One destructive run per target: they share one workflow id, which the server lets only one
    // running execution hold, whatever the runbook (a restore and a PITR must not overlap either).
    String baseId = destructive
        ? destructiveWorkflowId(request.target())
        : runbook.name() + "/" + request.target() + "/" + ID_TIME.format(clock.instant());
    // Read-only runs may start twice in one second: the second gets a suffix rather than an error.
    for (int attempt = 1; ; attempt++) {
      String workflowId = attempt == 1 ? baseId : baseId + "-" + attempt;
      WorkflowStub stub =
          client.newUntypedWorkflowStub(
              runbook.workflowType(), options(runbook, request.target(), requestedBy, workflowId));
      try {
        String runId = stub.start(input).getRunId();
        return new RunStarted(
            workflowId,
            runId,
            runbook.name(),
            request.target(),
            requestedBy,
            "/api/runs/" + workflowId,
            webUi(workflowId));
      } catch (WorkflowExecutionAlreadyStarted e) {
        if (destructive) {
          throw new Conflict(holderOf(workflowId, request.target()));
        }
        if (attempt >= 20) {
          throw e;
        }
      }
    }
  }


  /**
   * The id every destructive run of {@code target} has, whatever its runbook or who started it (a
   * person over REST, an alert): the server lets one running execution hold an id, so one
   * destructive run per target.
   */
  public static String destructiveWorkflowId(String target) {
    return "destructive/" + target;
  }

  /** How every run is started: task queue, id, the search attributes and summary the Web UI shows. */
  public WorkflowOptions options(
      RunbookDescriptor runbook, String target, String requestedBy, String workflowId) {
    return WorkflowOptions.newBuilder()
        .setTaskQueue(properties.taskQueue())
        .setWorkflowId(workflowId)
        .setTypedSearchAttributes(
            SearchAttributes.newBuilder()
                .set(RunbookSearchAttributes.RUNBOOK, runbook.workflowType())
                .set(RunbookSearchAttributes.TARGET, target)
                .set(RunbookSearchAttributes.REQUESTED_BY, requestedBy)
                .set(RunbookSearchAttributes.AWAITING_APPROVAL, false)
                .build())
        .setStaticSummary(runbook.workflowType() + " of " + target + ", requested by " + requestedBy)
        .setStaticDetails(runbook.title() + "\n\nRunbook section: " + runbook.seedSection())
        .build();
  }

  /** @param apiBase this API's base URL, for the approval commands of a waiting run */
  /** Who holds a target's destructive slot, for the 409 of a second destructive run. */
  private String holderOf(String workflowId, String target) {
    String holder;
    try {
      WorkflowExecutionDescription d = client.newUntypedWorkflowStub(workflowId).describe();
      String by = d.getTypedSearchAttributes().get(RunbookSearchAttributes.REQUESTED_BY);
      holder = d.getWorkflowType() + " started by " + by + " at " + d.getExecutionTime();
    } catch (RuntimeException e) {
      holder = "a run";
    }
    return "target " + target + " already has a destructive run going: " + workflowId + " (" + holder
        + "); only one may change a target at a time. Follow it at /api/runs/" + workflowId
        + " and start again when it has finished";
  }

  RunStatus status(String workflowId, int waitSeconds, String apiBase) {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    WorkflowExecutionDescription d = Executions.describe(client, workflowId);
    Object result = null;
    String failure = null;
    if (d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING && waitSeconds > 0) {
      try {
        result = stub.getResult(Math.min(waitSeconds, 60), TimeUnit.SECONDS, Object.class);
      } catch (TimeoutException stillRunning) {
        // answer with the current status
      } catch (WorkflowFailedException e) {
        failure = reason(e);
      }
      d = stub.describe();
    } else if (d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      result = stub.getResult(Object.class);
    } else if (d.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      try {
        stub.getResult(Object.class);
      } catch (WorkflowFailedException e) {
        failure = reason(e);
      }
    }
    return new RunStatus(
        workflowId,
        d.getWorkflowType(),
        d.getTypedSearchAttributes().get(RunbookSearchAttributes.TARGET),
        d.getTypedSearchAttributes().get(RunbookSearchAttributes.REQUESTED_BY),
        Executions.statusName(d.getStatus()),
        d.getTypedSearchAttributes().get(RunbookSearchAttributes.PHASE),
        d.getStaticSummary(),
        time(d.getStartTime()),
        time(d.getCloseTime()),
        result,
        failure,
        webUi(workflowId),
        d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
            ? progress(workflowId, d.getRawDescription())
            : List.of(),
        awaitingApproval(d, workflowId, apiBase));
  }

  /**
   * The run's open gates and its running children's (a failure response repairs in a child run,
   * whose gates are decided on the child's id, which each gate's commands name).
   */
  private List<PendingGate> awaitingApproval(WorkflowExecutionDescription d, String workflowId, String apiBase) {
    List<PendingGate> gates = new ArrayList<>(approvals.pending(d, workflowId, apiBase));
    if (d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      for (PendingChildExecutionInfo child : d.getRawDescription().getPendingChildrenList()) {
        try {
          gates.addAll(approvals.pending(client.newUntypedWorkflowStub(child.getWorkflowId()).describe(), child.getWorkflowId(), apiBase));
        } catch (WorkflowNotFoundException finishedMeanwhile) {
          // the child closed between the two calls: no gate open there
        }
      }
    }
    return gates;
  }

  /** Pending activities of the run and of its running children (one level: a run's databases). */
  private List<ActivityProgress> progress(String workflowId, DescribeWorkflowExecutionResponse raw) {
    List<ActivityProgress> progress = new ArrayList<>(activities(workflowId, raw));
    for (PendingChildExecutionInfo child : raw.getPendingChildrenList()) {
      try {
        progress.addAll(
            activities(child.getWorkflowId(), client.newUntypedWorkflowStub(child.getWorkflowId()).describe().getRawDescription()));
      } catch (WorkflowNotFoundException finishedMeanwhile) {
        // the child closed between the two calls: nothing running there
      }
    }
    return progress;
  }

  private List<ActivityProgress> activities(String workflowId, DescribeWorkflowExecutionResponse raw) {
    List<ActivityProgress> list = new ArrayList<>();
    for (PendingActivityInfo a : raw.getPendingActivitiesList()) {
      Object heartbeat =
          a.hasHeartbeatDetails() && a.getHeartbeatDetails().getPayloadsCount() > 0
              ? DataConverter.getDefaultInstance()
                  .fromPayloads(0, Optional.of(a.getHeartbeatDetails()), Object.class, Object.class)
              : null;
      list.add(
          new ActivityProgress(
              workflowId,
              a.getActivityType().getName(),
              a.getState().name().replace("PENDING_ACTIVITY_STATE_", ""),
              a.getAttempt(),
              a.hasLastHeartbeatTime() ? Instant.ofEpochSecond(a.getLastHeartbeatTime().getSeconds(), a.getLastHeartbeatTime().getNanos()).toString() : null,
              heartbeat));
    }
    return list;
  }

  List<RunStatus> recent(String runbook, String target, int limit) {
    StringBuilder query = new StringBuilder();
    if (runbook != null && !runbook.isBlank()) {
      RunbookDescriptor r =
          RunbookCatalog.find(runbook)
              .orElseThrow(() -> new BadRequest("unknown runbook '" + runbook + "'; one of " + runbookNames()));
      query.append(RunbookSearchAttributes.RUNBOOK.getName()).append(" = '").append(r.workflowType()).append('\'');
    } else {
      query.append(RunbookSearchAttributes.RUNBOOK.getName()).append(" IS NOT NULL");
    }
    if (target != null && !target.isBlank()) {
      if (!NAME.matcher(target).matches()) {
        throw new BadRequest("target names are letters, digits, '.', '-' and '_'");
      }
      query.append(" AND ").append(RunbookSearchAttributes.TARGET.getName()).append(" = '").append(target).append('\'');
    }
    if (limit < 1 || limit > 200) {
      throw new BadRequest("limit must be between 1 and 200");
    }
    // Newest first is the servers' own order; SQL visibility stores (the dev server's) refuse ORDER BY.
    return client.listExecutions(query.toString()).limit(limit).map(this::summary).toList();
  }

  private RunStatus summary(WorkflowExecutionMetadata m) {
    SearchAttributes sa = m.getTypedSearchAttributes();
    String id = m.getExecution().getWorkflowId();
    return new RunStatus(
        id,
        m.getWorkflowType(),
        sa.get(RunbookSearchAttributes.TARGET),
        sa.get(RunbookSearchAttributes.REQUESTED_BY),
        Executions.statusName(m.getStatus()),
        sa.get(RunbookSearchAttributes.PHASE),
        null,
        time(m.getStartTime()),
        time(m.getCloseTime()),
        null,
        null,
        webUi(id),
        List.of(),
        List.of());
  }

  /** The run's page in the Temporal Web UI. */
  public String webUi(String workflowId) {
    return properties.webUiUrl()
        + "/namespaces/"
        + properties.namespace()
        + "/workflows/"
        + URLEncoder.encode(workflowId, StandardCharsets.UTF_8);
  }

  private static String reason(WorkflowFailedException e) {
    Throwable t = e.getCause();
    StringBuilder why = new StringBuilder();
    while (t != null) {
      String message = t instanceof TemporalFailure tf ? tf.getOriginalMessage() : t.getMessage();
      if (message != null && !message.isBlank()) {
        if (!why.isEmpty()) {
          why.append(": ");
        }
        why.append(message);
      }
      t = t.getCause();
    }
    return why.toString();
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  private static List<String> runbookNames() {
    return RunbookCatalog.ALL.stream().map(RunbookDescriptor::name).toList();
  }

}
