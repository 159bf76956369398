package io.pgrunbooks.workflows.diagnosis;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Seed 000, "Detailed Diagnosis". Read-only: nothing is changed, so there is no approval gate. Every
 * check is its own activity and they run in parallel; a check that cannot run is a line of the
 * checklist saying why (not applicable to the hosting, failed with its error), never a failed run.
 */
@WorkflowInterface
public interface DiagnoseDatabaseWorkflow {

  /** Workflow type, as the catalog, the API and the Web UI name it. */
  String TYPE = "DiagnoseDatabase";

  @WorkflowMethod(name = TYPE)
  DiagnosisReport diagnose(DiagnosisRequest request);
}
