package io.pgrunbooks.workflows.pitr;

import java.util.List;

/**
 * Where recovery stopped, as the server's log and the promoted server say.
 *
 * @param targetTime the requested target
 * @param stoppedBeforeCommitAt commit time of the first transaction not replayed (from "recovery
 *     stopping before commit of transaction ..., time ..."); after the target
 * @param lastReplayedCommitAt commit time of the last transaction replayed; at or before the target
 * @param replayLsn the WAL position replay ended at
 * @param timeline the timeline the promoted server writes on
 * @param evidence the log lines this was read from
 */
public record RecoveryPoint(
    String targetTime,
    String stoppedBeforeCommitAt,
    String lastReplayedCommitAt,
    String replayLsn,
    int timeline,
    List<String> evidence) {}
