package io.pgrunbooks.workflows.assessment;

/** Failure types the assessment's activities use, so the workflow can tell them apart. */
public final class AssessmentFailures {
  /** The check does not apply to this hosting: reported as NOT_APPLICABLE, not as a failure. */
  public static final String NOT_APPLICABLE = "NotApplicable";

  private AssessmentFailures() {}
}
