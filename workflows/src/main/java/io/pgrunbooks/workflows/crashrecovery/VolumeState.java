package io.pgrunbooks.workflows.crashrecovery;

import io.pgrunbooks.workflows.assessment.StorageUsage;
import java.util.List;

/**
 * The storage of the data directory: {@code kubectl get/describe pvc} and {@code df}.
 *
 * @param claim the PVC's name (null on a host)
 * @param phase the PVC's phase: Bound, Pending, Lost (null on a host, or "absent")
 * @param capacity the PVC's provisioned capacity, e.g. 10Gi (null when unbound)
 * @param requested the storage the PVC asks for (differs from capacity while a resize is pending)
 * @param storageClass the storage class
 * @param conditions the PVC's conditions, e.g. FileSystemResizePending
 * @param fileSystem {@code df} of the file system holding the data directory; null when it could
 *     not be read (a pod that is not running cannot be exec'ed into)
 * @param full whether that file system is at or above the target's disk-critical percent
 * @param notes what could not be read, and why
 */
public record VolumeState(
    String claim,
    String phase,
    String capacity,
    String requested,
    String storageClass,
    List<String> conditions,
    StorageUsage fileSystem,
    boolean full,
    List<String> notes) {

  public String describe() {
    String fs = fileSystem == null
        ? "file system usage unknown"
        : "file system " + fileSystem.percentUsed() + " % used, " + fileSystem.availableBytes() + " bytes free" + (full ? " (FULL)" : "");
    return (claim == null ? "" : "PVC " + claim + " " + phase + (capacity == null ? "" : " " + capacity)
        + (storageClass == null ? "" : " (" + storageClass + ")") + "; ") + fs;
  }
}
