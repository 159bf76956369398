package io.pgrunbooks.workflows.disk;

import java.util.List;

/**
 * The claim holding the data directory (kubernetes), and whether it can grow to the requested size.
 *
 * @param namespace the claim's namespace
 * @param claim the PersistentVolumeClaim the primary pod mounts the data directory from
 * @param storageClass its storage class
 * @param expandable the storage class's allowVolumeExpansion
 * @param requested spec.resources.requests.storage
 * @param capacity status.capacity.storage (what the volume has now)
 * @param conditions status.conditions, e.g. "FileSystemResizePending=True: Waiting for user to (re-)start a pod ..."
 * @param refusal why it cannot or will not be grown to the requested size (null: it can)
 */
public record DataVolume(
    String namespace, String claim, String storageClass, boolean expandable, String requested, String capacity,
    List<String> conditions, String refusal) {

  public String describe() {
    return "claim " + namespace + "/" + claim + " (storage class " + storageClass + ", requests " + requested
        + ", capacity " + capacity + (conditions.isEmpty() ? "" : ", " + String.join("; ", conditions)) + ")";
  }

  /** What the claim says after a patch of its request: grown, or waiting for the file system resize. */
  public String expansionState() {
    if (conditions.stream().anyMatch(c -> c.startsWith("FileSystemResizePending"))) {
      return "the volume grew, the file system grows when the pod restarts (FileSystemResizePending), capacity " + capacity;
    }
    if (capacity != null && capacity.equals(requested)) {
      return "capacity is now " + capacity;
    }
    return "capacity still " + capacity + (conditions.isEmpty() ? " (the resize is under way)" : ", " + String.join("; ", conditions));
  }
}
