package io.pgrunbooks.workflows.maintenance;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Regular maintenance, one database after another (VACUUM loads the server; one at a time is kinder). */
@WorkflowInterface
public interface RunMaintenanceWorkflow {
  String TYPE = "RunMaintenance";

  @WorkflowMethod(name = TYPE)
  MaintenanceResult maintain(MaintenanceRequest request);
}
