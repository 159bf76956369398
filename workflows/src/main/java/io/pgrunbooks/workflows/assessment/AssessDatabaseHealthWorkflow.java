package io.pgrunbooks.workflows.assessment;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * Seed 000, "Immediate Assessment (0-10 minutes)". Read-only: no step changes anything, so there is
 * no approval gate. A database that is down is a finding (SEV-1), never a failed run.
 */
@WorkflowInterface
public interface AssessDatabaseHealthWorkflow {

  /** Workflow type, as the catalog, the API and the Web UI name it. */
  String TYPE = "AssessDatabaseHealth";

  @WorkflowMethod(name = TYPE)
  HealthAssessment assess(AssessmentRequest request);

  /** The checklist once the checks have finished (empty while they run). */
  @QueryMethod
  List<CheckReport> checklist();
}
