package io.pgrunbooks.workflows.validation;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Seed 000, "Post-Recovery Health Checks", each its own activity, all at once. Read-only. */
@WorkflowInterface
public interface ValidateRecoveryWorkflow {
  String TYPE = "ValidateRecovery";

  @WorkflowMethod(name = TYPE)
  ValidationReport validate(ValidationRequest request);
}
