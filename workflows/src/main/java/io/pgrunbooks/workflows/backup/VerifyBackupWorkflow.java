package io.pgrunbooks.workflows.backup;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Seed 003 "Verification Steps": the objects exist as recorded, and they really restore. */
@WorkflowInterface
public interface VerifyBackupWorkflow {
  String TYPE = "VerifyBackup";

  /** Never fails for a backup that does not verify: the result says which check failed. */
  @WorkflowMethod(name = TYPE)
  VerificationResult verify(VerifyRequest request);
}
