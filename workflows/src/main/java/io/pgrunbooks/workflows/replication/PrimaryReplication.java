package io.pgrunbooks.workflows.replication;

import io.pgrunbooks.workflows.targets.Hosting;
import java.util.List;

/**
 * Step 1, the primary's side.
 *
 * @param hosting how the target runs (decides how a replica is started or reinitialized)
 * @param currentLsn pg_current_wal_lsn()
 * @param standbys pg_stat_replication, one row per connected standby
 * @param slots physical replication slots
 */
public record PrimaryReplication(Hosting hosting, String currentLsn, List<StandbyStatus> standbys, List<SlotStatus> slots) {}
