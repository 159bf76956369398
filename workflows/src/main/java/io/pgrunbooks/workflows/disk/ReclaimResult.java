package io.pgrunbooks.workflows.disk;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.common.ScenarioResult;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run found and did.
 *
 * @param status how it ended
 * @param target the target
 * @param breakdown step 1: df, du, database sizes
 * @param wal step 2: why WAL piles up
 * @param oldLogs step 3: the old server logs found (null: not looked at)
 * @param volume step 4: the data volume (null: not kubernetes or no expandTo)
 * @param largestTables step 5: the largest tables with their dead rows
 * @param plan the steps, as planned after the diagnosis
 * @param decisions every gate's outcome, in order
 * @param droppedSlots step 2's outcome per approved slot ("slot: dropped" or why not)
 * @param logDeletion step 3's outcome (null: not done)
 * @param expanded step 4's claim after the patch (null: not done)
 * @param vacuums step 5's outcome per table (empty: not done)
 * @param checks the re-check after each change, in order, each with the step before it
 * @param findings what the run found and what it could not or would not do, for a person
 * @param reason why it stopped early (null when it did not)
 */
public record ReclaimResult(
    ReclaimStatus status,
    String target,
    DiskBreakdown breakdown,
    WalRetention wal,
    OldServerLogs oldLogs,
    DataVolume volume,
    List<BloatedTable> largestTables,
    List<String> plan,
    List<GateOutcome> decisions,
    List<String> droppedSlots,
    LogDeletion logDeletion,
    DataVolume expanded,
    List<TableVacuum> vacuums,
    List<String> checks,
    List<String> findings,
    String reason) implements ScenarioResult {

  @Override
  public String outcome() {
    return status.name();
  }

  @Override
  public List<String> actions() {
    List<String> done = new ArrayList<>();
    droppedSlots.stream().filter(s -> s.endsWith(": dropped")).forEach(s -> done.add("dropped replication slot " + s));
    if (logDeletion != null && !logDeletion.deleted().isEmpty()) {
      done.add("deleted " + logDeletion.deleted().size() + " old server log file(s), " + Bytes.human(logDeletion.freedBytes())
          + ": " + logDeletion.deleted());
    }
    if (expanded != null) {
      done.add("set the storage request of " + expanded.namespace() + "/" + expanded.claim() + " to " + expanded.requested());
    }
    vacuums.stream().filter(v -> v.skipped() == null).forEach(v -> done.add(v.describe()));
    return done;
  }
}
