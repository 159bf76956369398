package io.pgrunbooks.workflows.slowqueries;

import java.util.List;

/**
 * The statistics that point at missing indexes and at tables needing VACUUM or ANALYZE, from each
 * of the target's databases.
 *
 * @param seqScanHeavy tables read mostly by large sequential scans (candidates for an index)
 * @param needVacuum tables with many dead tuples or stale statistics, most dead tuples first (what
 *     the {@code vacuum-analyze} gate proposes)
 * @param statements the slowest statements by mean execution time (empty without pg_stat_statements)
 * @param notes what a person should know (e.g. pg_stat_statements is not installed)
 */
public record TableStatistics(
    List<TableStats> seqScanHeavy, List<TableStats> needVacuum, List<StatementStats> statements, List<String> notes) {}
