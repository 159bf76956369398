package io.pgrunbooks.workflows.pitr;

import java.util.List;

/**
 * A validated recovery, as {@link PitrActivities#planRecovery} made it. Every later step works
 * from it, so a retried step does the same thing as the first attempt.
 *
 * @param target the target's name
 * @param label this run's label ({@code yyyyMMdd_HHmmss}, UTC), part of every name the run creates
 * @param stanza the pgBackRest stanza
 * @param targetTime the target, normalized to RFC 3339 UTC with microseconds
 * @param window what can be recovered
 * @param backupSet the pgBackRest backup the restore starts from (the newest usable one that
 *     stopped before the target)
 * @param restoreBytes size of that backup once restored
 * @param freeBytes free space where it is restored
 * @param dataDirectory the data directory (pgBackRest's pg-path)
 * @param asideDirectory where the current data directory is moved, never deleted
 * @param workDirectory the run's markers and the recovered server's log
 * @param atRisk what the recovery throws away
 * @param steps the steps the run will take, in words (a dry run returns them)
 */
public record RecoveryPlan(
    String target,
    String label,
    String stanza,
    String targetTime,
    RecoveryWindow window,
    String backupSet,
    long restoreBytes,
    long freeBytes,
    String dataDirectory,
    String asideDirectory,
    String workDirectory,
    WorkAtRisk atRisk,
    List<String> steps) {

  public RecoveryPlan {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }
}
