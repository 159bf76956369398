package io.pgrunbooks.workflows.response;

import io.temporal.activity.ActivityInterface;

/** Keeps incident reports where people find them after the run. */
@ActivityInterface
public interface IncidentReportActivities {

  /** Stores the Markdown under the run's id in the artifact store; returns its key. */
  String storeIncidentReport(String workflowId, String markdown);
}
