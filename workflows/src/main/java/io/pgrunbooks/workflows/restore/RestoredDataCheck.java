package io.pgrunbooks.workflows.restore;

import java.util.List;
import java.util.Map;

/**
 * The seed's "Verify restoration" ({@code count(*)}, {@code MAX(created_at)}), against what the
 * backup recorded where it did.
 *
 * @param rowCounts restored rows per {@code schema.table}
 * @param newest newest {@code created_at} per configured table found in the database
 * @param mismatches every difference from the recorded counts and times, in words
 * @param comparedWithRecord whether the backup recorded anything to compare with
 */
public record RestoredDataCheck(
    Map<String, Long> rowCounts, Map<String, String> newest, List<String> mismatches, boolean comparedWithRecord) {

  public boolean passed() {
    return mismatches.isEmpty();
  }
}
