package io.pgrunbooks.workflows.backup;

import java.util.List;
import java.util.Map;

/**
 * The evidence that one backup object restores, as the seed's "test restore" asks, done for real.
 *
 * @param database the database
 * @param objectKey the object
 * @param passed every check below held
 * @param sizeMatches the stored size is the recorded one
 * @param checksumMatches the SHA-256 of the stored bytes is the recorded one
 * @param tocEntries entries {@code pg_restore --list} read from the decrypted dump
 * @param tablesCompared tables whose row count was compared with the count taken at backup time
 * @param rowCountMismatches {@code schema.table: expected N, restored M}, empty when all match
 * @param indexesChecked B-tree indexes checked with amcheck's bt_index_check
 * @param amcheckFailures {@code index: error}, empty when all pass
 * @param timingsMillis how long each step took (download-and-checksum, list, restore, counts, amcheck)
 * @param evidenceKey where this evidence is stored, beside the object
 * @param problem what failed, in words, null when passed
 */
public record ObjectVerification(
    String database,
    String objectKey,
    boolean passed,
    boolean sizeMatches,
    boolean checksumMatches,
    int tocEntries,
    int tablesCompared,
    List<String> rowCountMismatches,
    int indexesChecked,
    List<String> amcheckFailures,
    Map<String, Long> timingsMillis,
    String evidenceKey,
    String problem) {

  public static ObjectVerification failed(BackupObject object, String problem) {
    return new ObjectVerification(
        object.database(), object.objectKey(), false, false, false, 0, 0, List.of(), 0, List.of(), Map.of(), null, problem);
  }
}
