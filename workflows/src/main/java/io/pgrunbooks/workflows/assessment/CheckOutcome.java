package io.pgrunbooks.workflows.assessment;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;

/**
 * A check's value, or why there is none. Turns activity failures into checklist lines so that a
 * check that cannot run is reported, never dropped, and never fails the run. Shared by the
 * assessment and the diagnosis.
 */
public record CheckOutcome<T>(T value, CheckStatus failureStatus, String failureSummary) {

  public static <T> CheckOutcome<T> of(T value) {
    return new CheckOutcome<>(value, null, null);
  }

  public static <T> CheckOutcome<T> skipped(String why) {
    return new CheckOutcome<>(null, CheckStatus.SKIPPED, why);
  }

  public static <T> CheckOutcome<T> notApplicable(String why) {
    return new CheckOutcome<>(null, CheckStatus.NOT_APPLICABLE, why);
  }

  public static <T> CheckOutcome<T> failed(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure app
        && AssessmentFailures.NOT_APPLICABLE.equals(app.getType())) {
      return new CheckOutcome<>(null, CheckStatus.NOT_APPLICABLE, app.getOriginalMessage());
    }
    if (cause instanceof TimeoutFailure timeout) {
      return new CheckOutcome<>(
          null,
          CheckStatus.TIMED_OUT,
          "no answer within its " + describe(timeout) + " timeout");
    }
    String message =
        cause instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(cause);
    return new CheckOutcome<>(null, CheckStatus.FAILED, message);
  }

  private static String describe(TimeoutFailure timeout) {
    // TIMEOUT_TYPE_START_TO_CLOSE -> start-to-close
    return timeout.getTimeoutType().name().replace("TIMEOUT_TYPE_", "").replace('_', '-').toLowerCase(java.util.Locale.ROOT);
  }

  public boolean present() {
    return value != null;
  }
}
