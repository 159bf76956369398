package io.pgrunbooks.workflows.common;

import io.temporal.failure.TemporalFailure;

/** The message a person needs from a failed activity or child: the innermost cause's own words. */
public final class FailureMessages {
  private FailureMessages() {}

  public static String rootMessage(TemporalFailure failure) {
    Throwable t = failure;
    while (t.getCause() instanceof TemporalFailure cause) {
      t = cause;
    }
    return t instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(t.getMessage());
  }
}
