package io.pgrunbooks.activities.response;

import io.pgrunbooks.activities.artifacts.ArtifactStore;
import io.pgrunbooks.workflows.response.IncidentReportActivities;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;

/** See {@link IncidentReportActivities}: the report beside the run's other artifacts. */
@Component
public class IncidentReportActivitiesImpl implements IncidentReportActivities {
  static final String NAME = "incident-report.md";

  private final ArtifactStore artifacts;

  public IncidentReportActivitiesImpl(ArtifactStore artifacts) {
    this.artifacts = artifacts;
  }

  /** Null when no artifact store is configured: the report is then only in the run's result. */
  @Override
  public String storeIncidentReport(String workflowId, String markdown) {
    if (!artifacts.configured()) {
      return null;
    }
    return artifacts.put(workflowId, NAME, "text/markdown; charset=utf-8", markdown.getBytes(StandardCharsets.UTF_8)).key();
  }
}
