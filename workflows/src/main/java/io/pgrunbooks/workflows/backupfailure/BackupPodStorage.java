package io.pgrunbooks.workflows.backupfailure;

import java.util.List;

/**
 * The seed's "Check backup pod storage": the newest backup Job's pods and what they say about space.
 *
 * @param namespace the namespace looked in
 * @param job the newest Job labelled app=postgres-backup (null: none)
 * @param pods its pods, each as "name phase[ reason]: message"
 * @param ephemeralStorageLimit the containers' ephemeral-storage limits, e.g. "backup=1Gi" (empty: none set)
 * @param outOfSpace whether a pod was evicted over (ephemeral) storage or said "no space left on device"
 * @param evidence the statuses and events that say so, newest event first (empty when nothing did)
 */
public record BackupPodStorage(
    String namespace, String job, List<String> pods, List<String> ephemeralStorageLimit, boolean outOfSpace,
    List<String> evidence) {

  public BackupPodStorage {
    pods = pods == null ? List.of() : List.copyOf(pods);
    ephemeralStorageLimit = ephemeralStorageLimit == null ? List.of() : List.copyOf(ephemeralStorageLimit);
    evidence = evidence == null ? List.of() : List.copyOf(evidence);
  }

  public String describe() {
    if (job == null) {
      return "no backup Job (app=postgres-backup) in " + namespace;
    }
    return "backup Job " + namespace + "/" + job + " (pods " + (pods.isEmpty() ? "none left" : String.join("; ", pods)) + ", ephemeral-storage limit "
        + (ephemeralStorageLimit.isEmpty() ? "none" : String.join(", ", ephemeralStorageLimit)) + "): "
        + (outOfSpace ? "OUT OF SPACE: " + String.join("; ", evidence) : "no eviction or full disk seen");
  }
}
