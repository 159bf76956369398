package io.pgrunbooks.workflows.backupfailure;

import io.pgrunbooks.workflows.common.FailureMessages;
import io.temporal.failure.TemporalFailure;
import java.util.List;
import java.util.function.Supplier;

/** A read-only step whose failure is a finding for a person, not the end of the run. */
final class FindingReads {
  private FindingReads() {}

  /** The step's answer, or null with "WHAT could not be read: why" added to {@code findings}. */
  static <T> T read(List<String> findings, String what, Supplier<T> step) {
    try {
      return step.get();
    } catch (TemporalFailure e) {
      findings.add(what + " could not be read: " + FailureMessages.rootMessage(e));
      return null;
    }
  }
}
