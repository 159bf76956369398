package io.pgrunbooks.workflows.assessment;

import java.util.List;

/** A post-recovery assessment child that finds everything healthy, for tests of the runbooks that run it. */
public class HealthyAssessment implements AssessDatabaseHealthWorkflow {
  @Override
  public HealthAssessment assess(AssessmentRequest request) {
    return new HealthAssessment(request.target(), request.requestedBy(), null, null, Severity.NONE, "none", Scenario.NONE,
        List.of("healthy"), List.of(), null);
  }

  @Override
  public List<CheckReport> checklist() {
    return List.of();
  }
}
