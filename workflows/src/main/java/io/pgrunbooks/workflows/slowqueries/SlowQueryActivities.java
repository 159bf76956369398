package io.pgrunbooks.workflows.slowqueries;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * The side effects of Scenario 4. Everything is SQL through JDBC to the target's primary, so host
 * and kubernetes hostings behave the same. Client backends only: never WAL senders, background
 * workers, autovacuum, or this service's own sessions.
 */
@ActivityInterface
public interface SlowQueryActivities {

  /**
   * Step 1, read-only ("identify slow queries currently running"): client backends active for longer
   * than {@code thresholdSeconds} that are not waiting for a lock (those are {@link #findLockWaits}'s),
   * longest first, each to be cancelled.
   */
  List<Backend> findSlowQueries(String target, int thresholdSeconds);

  /**
   * Step 1b, read-only (not in the seed): sessions waiting for locks and the sessions heading each
   * chain, by pg_blocking_pids; an idle-in-transaction head is to be terminated, an active one
   * cancelled.
   */
  LockWaits findLockWaits(String target);

  /**
   * Steps 3 and 5, read-only ("check for missing indexes", "check for table bloat"), corrected: the
   * seed's pg_stats n_distinct/correlation says nothing about missing indexes or bloat; the
   * cumulative statistics do: heavy sequential scans, dead tuples, stale statistics, and the slowest
   * statements of pg_stat_statements.
   */
  TableStatistics checkTableStatistics(String target);

  /**
   * Step 2 ("kill long-running queries"): each approved backend is re-checked first (same pid,
   * backend start and statement start; still active, or still blocking) and skipped, named, if not;
   * then cancelled or terminated as approved, and followed for a few seconds to say whether it stopped.
   */
  Stopping cancelQueries(String target, List<Backend> approved);

  /** After step 2: the approved backends still running, long-running queries and lock waits now. */
  QueryCheck recheckQueries(String target, List<Backend> approved, int thresholdSeconds);

  /**
   * Step 4 ("run VACUUM and ANALYZE"), corrected: VACUUM (ANALYZE) of exactly the approved tables,
   * not a whole database during an incident; a heartbeat per table, and a retried attempt resumes
   * after the last one done.
   */
  Vacuumed vacuumAnalyzeTables(String target, List<TableStats> tables);

  /** After step 4: the same tables' statistics now. */
  List<TableStats> recheckTables(String target, List<TableStats> tables);
}
