package io.pgrunbooks.workflows.disk;

/**
 * {@code df} of the file system holding the data directory, against the target's disk threshold.
 *
 * @param path the data directory
 * @param totalBytes size of the file system
 * @param usedBytes bytes in use
 * @param availableBytes bytes available to PostgreSQL
 * @param percentUsed 100 * used / (used + available), as df computes Use%, 1 place
 * @param thresholdPercent the target's disk-warn-percent
 * @param underThreshold whether percentUsed is below thresholdPercent
 */
public record DiskCheck(
    String path, long totalBytes, long usedBytes, long availableBytes, double percentUsed,
    double thresholdPercent, boolean underThreshold) {

  /** "73.2 % used (1.2 GiB free of 4.0 GiB) on /var/lib/postgresql/data, under the 85.0 % threshold". */
  public String describe() {
    return percentUsed + " % used (" + Bytes.human(availableBytes) + " free of " + Bytes.human(totalBytes) + ") on " + path + ", "
        + (underThreshold ? "under" : "NOT under") + " the " + thresholdPercent + " % threshold";
  }
}
