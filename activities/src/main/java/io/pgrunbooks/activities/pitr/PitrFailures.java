package io.pgrunbooks.activities.pitr;

import io.temporal.failure.ApplicationFailure;

/** Failure types of the PITR steps; all of these are bad input or a state retrying cannot fix. */
final class PitrFailures {
  /** The request or the target's configuration is not usable. */
  static final String INVALID = "InvalidPitrRequest";

  /** The target time is outside what the archive can recover. */
  static final String OUTSIDE_WINDOW = "TargetOutsideWindow";

  /** Recovery ended somewhere other than at the target. */
  static final String MISSED_TARGET = "RecoveryMissedTarget";

  private PitrFailures() {}

  static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, INVALID);
  }

  static ApplicationFailure outsideWindow(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, OUTSIDE_WINDOW);
  }

  static ApplicationFailure missedTarget(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, MISSED_TARGET);
  }
}
