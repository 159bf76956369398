package io.pgrunbooks.workflows.approval;

import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowStub;

/** What the Web UI shows as a run's current details: the SDK's built-in metadata query, as the UI sends it. */
public final class CurrentDetails {
  private CurrentDetails() {}

  public static String of(WorkflowStub run) {
    return run.query("__temporal_workflow_metadata", WorkflowMetadata.class).getCurrentDetails();
  }
}
