package io.pgrunbooks.workflows.crashrecovery;

import io.pgrunbooks.workflows.assessment.Readiness;

/**
 * The re-check after a change: does the server accept connections, is the pod ready, how full is
 * the disk.
 *
 * @param readiness pg_isready's answer, as the assessment's checkReadiness gives it
 * @param podReady the primary pod's Ready condition (null on a host)
 * @param diskPercentUsed the data directory's file system, percent used (null: not readable)
 */
public record RecoveryCheck(Readiness readiness, Boolean podReady, Double diskPercentUsed) {

  /** Whether the database is back: accepting connections, and its pod ready where there is one. */
  public boolean healthy() {
    return readiness.accepting() && !Boolean.FALSE.equals(podReady);
  }

  public String describe() {
    return "server " + readiness.state() + (readiness.detail() == null || readiness.accepting() ? "" : " (" + readiness.detail() + ")")
        + (podReady == null ? "" : ", pod " + (podReady ? "ready" : "NOT ready"))
        + (diskPercentUsed == null ? "" : ", disk " + diskPercentUsed + " % used");
  }
}
