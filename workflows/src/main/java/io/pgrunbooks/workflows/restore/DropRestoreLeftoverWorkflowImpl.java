package io.pgrunbooks.workflows.restore;

import io.pgrunbooks.workflows.approval.GatedRun;
import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.approval.GateRequest;
import io.pgrunbooks.workflows.approval.OnTimeout;
import io.pgrunbooks.workflows.common.RunProgress;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Describe, gate, drop. A gate nobody decides on within a day aborts: nothing is dropped by default. */
public class DropRestoreLeftoverWorkflowImpl extends GatedRun implements DropRestoreLeftoverWorkflow {
  private final RestoreActivities steps = Workflow.newActivityStub(RestoreActivities.class, RestoreTimeouts.QUICK);

  @Override
  public DropLeftoverResult drop(DropLeftoverRequest request) {
    gate.requestedBy(request.requestedBy());
    RunProgress.enter("describe", "Looking at " + request.database());
    LeftoverDatabase found = steps.describeLeftover(request.target(), request.database());
    if (request.dryRun()) {
      RunProgress.enter("planned", "Dry run: would drop " + found.name() + " (" + found.sizeBytes() + " bytes)");
      return new DropLeftoverResult("PLANNED", found, null);
    }
    GateOutcome decision = gate.await(new GateRequest(
        GATE,
        "drop database " + found.name() + " (" + found.sizeBytes() / (1 << 20) + " MiB, " + found.sessions()
            + " session(s) now, ended by the drop); this cannot be undone",
        "target " + request.target(),
        "a restore kept it; the restored data has been in use since",
        Duration.ofHours(24), OnTimeout.ABORT));
    if (!decision.approved()) {
      RunProgress.enter("rejected", found.name() + " was kept");
      return new DropLeftoverResult("REJECTED", found, decision);
    }
    RunProgress.enter("drop", "Dropping " + found.name());
    steps.dropLeftover(request.target(), found.name());
    RunProgress.enter("done", "Dropped " + found.name());
    return new DropLeftoverResult("DROPPED", found, decision);
  }
}
