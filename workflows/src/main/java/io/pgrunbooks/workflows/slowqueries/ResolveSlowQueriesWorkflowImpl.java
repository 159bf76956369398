package io.pgrunbooks.workflows.slowqueries;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.approval.GatedRun;
import io.pgrunbooks.workflows.approval.ScenarioGates;
import io.pgrunbooks.workflows.common.RunProgress;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The scenario, step by step: every read-only step first, then one gate per change showing exactly
 * what it will do to what; a rejected (or, after 30 minutes, undecided) gate ends the run there, its
 * step not done. After each change the run checks that it helped and says so.
 *
 * <p>Corrections of the seed: the blocked sessions' cure is ending the session that blocks them, so
 * lock waits are diagnosed with pg_blocking_pids and their heads proposed (terminated when idle in
 * transaction, since a cancel does nothing to a session that runs nothing); the pg_stats
 * n_distinct/correlation queries ("missing indexes", "table bloat") say nothing about either, so
 * sequential-scan, dead-tuple and analyze statistics and pg_stat_statements replace them; and the
 * database-wide VACUUM ANALYZE becomes VACUUM (ANALYZE) of the tables that need it, named at the gate.
 */
public class ResolveSlowQueriesWorkflowImpl extends GatedRun implements ResolveSlowQueriesWorkflow {
  /** Why the seed's pg_stats heuristic is not used (said in every result). */
  static final String PG_STATS_CORRECTION =
      "the seed's pg_stats query (n_distinct > 100, correlation < 0.1) was not run: a column's distinct values and"
          + " physical order say nothing about whether queries filter on it without an index, nor about bloat;"
          + " sequential scans, dead tuples and pg_stat_statements were read instead";

  private final SlowQueryActivities quick = Workflow.newActivityStub(SlowQueryActivities.class, SlowQueryTimeouts.QUICK);
  private final SlowQueryActivities vacuum = Workflow.newActivityStub(SlowQueryActivities.class, SlowQueryTimeouts.VACUUM);

  private final List<String> plan = new ArrayList<>();
  private final ScenarioGates gates = new ScenarioGates(gate);
  private final List<String> checks = new ArrayList<>();
  private final List<String> findings = new ArrayList<>();
  private final List<Backend> proposed = new ArrayList<>();
  private SlowQueryRequest request;
  private int threshold;
  private List<Backend> slow = List.of();
  private LockWaits locks;
  private TableStatistics statistics;
  private Stopping stopping;
  private Vacuumed vacuumed;

  @Override
  public SlowQueryResult resolve(SlowQueryRequest request) {
    this.request = request;
    this.threshold = request.thresholdSeconds();
    gate.requestedBy(request.requestedBy());

    // 1. Identify slow queries currently running (read-only).
    RunProgress.enter("diagnose", "Looking for queries active for more than " + threshold + " s on " + request.target());
    slow = quick.findSlowQueries(request.target(), threshold);

    // 1b. (not in the seed) Lock waits: who blocks whom (read-only).
    RunProgress.enter("diagnose", "Looking for sessions waiting for locks on " + request.target());
    locks = quick.findLockWaits(request.target());

    // 3. Check for missing indexes, and 5. check for table bloat: statistics instead of pg_stats (read-only).
    RunProgress.enter("diagnose", "Reading table and statement statistics of " + request.target());
    statistics = quick.checkTableStatistics(request.target());

    propose();
    planSteps();
    if (request.dryRun()) {
      RunProgress.enter("planned", "Dry run: nothing was changed; the plan is in the result");
      return result(SlowQueryStatus.PLANNED, null);
    }
    if (proposed.isEmpty() && statistics.needVacuum().isEmpty()) {
      RunProgress.enter("done", "Nothing to do: no slow query, no lock wait, no table needing VACUUM");
      return result(SlowQueryStatus.NOTHING_TO_DO, null);
    }

    // 2. Kill long-running queries (and end the sessions blocking others): gate, then exactly the listed backends.
    if (!proposed.isEmpty()) {
      GateOutcome decision = gates.ask(
          CANCEL_GATE,
          proposed.stream().map(b -> b.describe() + " because " + b.why()).collect(Collectors.joining("; "))
              + "; each is checked again first and left alone if it finished, runs another statement or no longer blocks",
          request.target(),
          problemSummary());
      if (!decision.approved()) {
        return rejected(decision);
      }
      RunProgress.enter("cancel-queries", "Stopping " + proposed.size() + " backend(s)");
      stopping = quick.cancelQueries(request.target(), List.copyOf(proposed));
      stopping.skipped().forEach(s -> findings.add("skipped " + s));
      stopping.notStopped().forEach(s -> findings.add("signalled but still there: " + s));
      RunProgress.enter("recheck", "Checking running queries and lock waits again");
      QueryCheck after = quick.recheckQueries(request.target(), List.copyOf(proposed), threshold);
      checks.add("after stopping pid(s) " + stopping.stopped() + ": " + after.describe());
    }

    // 4. Run VACUUM and ANALYZE: gate, then exactly the listed tables, one at a time.
    List<TableStats> tables = statistics.needVacuum();
    if (!tables.isEmpty()) {
      GateOutcome decision = gates.ask(
          VACUUM_GATE,
          "VACUUM (ANALYZE) of " + tables.size() + " table(s), one at a time (not the whole database): "
              + tables.stream().map(ResolveSlowQueriesWorkflowImpl::tableState).collect(Collectors.joining("; ")),
          request.target(),
          "dead tuples make every scan read more pages and stale statistics mislead the planner; VACUUM takes no lock"
              + " that blocks reads or writes, but it adds I/O while it runs");
      if (!decision.approved()) {
        return rejected(decision);
      }
      RunProgress.enter("vacuum-analyze", "VACUUM (ANALYZE) of " + tables.size() + " table(s)");
      vacuumed = vacuum.vacuumAnalyzeTables(request.target(), tables);
      vacuumed.skipped().forEach(s -> findings.add("not vacuumed: " + s));
      RunProgress.enter("recheck", "Reading the vacuumed tables' statistics again");
      checks.add(tablesChecked(tables, quick.recheckTables(request.target(), tables)));
    }

    RunProgress.enter("done", String.join("; ", checks));
    return result(SlowQueryStatus.DONE, null);
  }

  /** Blockers first (ending them releases everyone behind them), then long queries not already listed. */
  private void propose() {
    proposed.addAll(locks.blockers());
    Set<Integer> listed = proposed.stream().map(Backend::pid).collect(Collectors.toSet());
    slow.stream().filter(b -> !listed.contains(b.pid())).forEach(proposed::add);
  }

  private void planSteps() {
    plan.add("diagnose: " + slow.size() + " quer(ies) active for more than " + threshold + " s, " + locks.waits().size()
        + " session(s) waiting for locks, " + statistics.seqScanHeavy().size() + " table(s) read by large sequential scans, "
        + statistics.needVacuum().size() + " table(s) needing VACUUM or ANALYZE");
    slow.forEach(b -> findings.add("slow query: " + b.summary()));
    locks.waits().forEach(w -> findings.add("lock wait: " + w.describe()));
    findings.addAll(locks.notes());
    statistics.seqScanHeavy().forEach(t -> findings.add("sequential scans: " + t.name() + " had " + t.seqScan() + " sequential scan(s) reading "
        + t.seqTupRead() + " rows and " + t.idxScan() + " index scan(s), " + t.liveTuples()
        + " live rows: an index on the columns its queries filter by may help (EXPLAIN the statements that read it)"));
    statistics.statements().forEach(s -> findings.add("slow statement: mean " + Math.round(s.meanMillis()) + " ms over " + s.calls()
        + " call(s) in " + s.database() + " as " + s.user() + ": \"" + s.query() + "\""));
    findings.addAll(statistics.notes());
    findings.add(PG_STATS_CORRECTION);
    if (proposed.isEmpty()) {
      findings.add("no query has run for more than " + threshold + " s and no session blocks another: nothing to cancel");
    } else {
      plan.add("gate " + CANCEL_GATE + ": wait for approval");
      proposed.forEach(b -> plan.add(b.describe()));
      plan.add("re-check running queries and lock waits");
    }
    if (statistics.needVacuum().isEmpty()) {
      findings.add("no table has many dead tuples or stale statistics: nothing to VACUUM");
    } else {
      plan.add("gate " + VACUUM_GATE + ": wait for approval");
      statistics.needVacuum().forEach(t -> plan.add("VACUUM (ANALYZE) " + tableState(t)));
      plan.add("re-check dead tuples and last vacuum of those tables");
    }
  }

  private String problemSummary() {
    long blocked = locks.waits().size();
    long longOnes = proposed.stream().filter(b -> !b.blocksOthers()).count();
    return (blocked == 0 ? "" : blocked + " session(s) wait for locks held by the listed blocker(s)" + (longOnes == 0 ? "" : "; "))
        + (longOnes == 0 ? "" : longOnes + " quer(ies) have run for more than " + threshold + " s");
  }

  private static String tableState(TableStats t) {
    return t.name() + " (" + t.deadTuples() + " dead, " + t.liveTuples() + " live tuples, " + t.modsSinceAnalyze()
        + " rows changed since analyze; last vacuum " + orNever(t.lastVacuum()) + ", last analyze " + orNever(t.lastAnalyze()) + ")";
  }

  /** Each table before and after, and whether VACUUM helped (dead tuples down or a new last vacuum). */
  private static String tablesChecked(List<TableStats> before, List<TableStats> after) {
    List<String> lines = new ArrayList<>();
    boolean allHelped = true;
    for (TableStats b : before) {
      TableStats a = after.stream().filter(t -> t.name().equals(b.name())).findFirst().orElse(null);
      if (a == null) {
        lines.add(b.name() + " is gone");
        continue;
      }
      boolean helped = a.deadTuples() < b.deadTuples() || !Objects.equals(a.lastVacuum(), b.lastVacuum());
      allHelped &= helped;
      lines.add(b.name() + ": dead tuples " + b.deadTuples() + " -> " + a.deadTuples() + ", last vacuum " + orNever(a.lastVacuum())
          + ", last analyze " + orNever(a.lastAnalyze()) + (helped ? "" : " (no change)"));
    }
    return "after VACUUM (ANALYZE): " + String.join("; ", lines) + (allHelped ? ": helped" : ": did NOT help every table");
  }

  private static String orNever(String time) {
    return time == null ? "never" : time;
  }

  private SlowQueryResult rejected(GateOutcome outcome) {
    String reason = outcome.refusal();
    RunProgress.enter("rejected", reason);
    return result(SlowQueryStatus.REJECTED, reason);
  }

  private SlowQueryResult result(SlowQueryStatus status, String reason) {
    return new SlowQueryResult(
        status, request.target(), threshold, slow, locks, statistics, List.copyOf(proposed), List.copyOf(plan),
        gates.outcomes(), stopping, vacuumed, List.copyOf(checks), List.copyOf(findings), reason);
  }
}
