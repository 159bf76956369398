package io.pgrunbooks.workflows.prevention;

import io.pgrunbooks.workflows.approval.GateOutcome;
import io.pgrunbooks.workflows.approval.GateRequest;
import io.pgrunbooks.workflows.approval.GatedRun;
import io.pgrunbooks.workflows.approval.OnTimeout;
import io.pgrunbooks.workflows.common.RunProgress;
import io.pgrunbooks.workflows.common.StepTimeouts;
import io.pgrunbooks.workflows.targets.Hosting;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Inspect, then each change behind its own gate: preload the library (a restart), create the
 * extension where it is missing; the state is read again after each change.
 */
public class EnablePgStatStatementsWorkflowImpl extends GatedRun implements EnablePgStatStatementsWorkflow {
  /** Not an incident: a gate nobody decides on within a day ends the run, nothing changed. */
  static final Duration GATE_TIMEOUT = Duration.ofHours(24);

  private final PreventionActivities quick = Workflow.newActivityStub(PreventionActivities.class, StepTimeouts.QUICK);
  private final PreventionActivities restart = Workflow.newActivityStub(PreventionActivities.class, StepTimeouts.RESTART);

  private final List<String> plan = new ArrayList<>();
  private final List<GateOutcome> decisions = new ArrayList<>();
  private final List<String> actions = new ArrayList<>();
  private final List<String> findings = new ArrayList<>();
  private final List<String> checks = new ArrayList<>();
  private PreventionRequest request;
  private StatementStatistics before;
  private StatementStatistics after;

  @Override
  public PreventionResult enable(PreventionRequest request) {
    this.request = request;
    gate.requestedBy(request.requestedBy());

    // 1. Where pg_stat_statements stands (read-only).
    RunProgress.enter("inspect", "Reading shared_preload_libraries and the extensions of " + request.target());
    before = quick.inspectStatementStatistics(request.target(), request.databases());
    plan.add("inspect: " + before.describe());
    if (!before.available()) {
      findings.add("pg_stat_statements is not part of this server's installation (PostgreSQL " + before.serverVersion()
          + "): install the contrib package (Debian: postgresql-contrib, part of postgresql-<major>) first");
      return finish("NOTHING_TO_DO", null);
    }
    if (before.complete()) {
      findings.add("pg_stat_statements is already preloaded and present in every database asked for");
      return finish("NOTHING_TO_DO", null);
    }
    boolean preload = planPreload();
    boolean create = !before.missingIn().isEmpty();
    if (create) {
      plan.add("gate " + EXTENSION_GATE + ", then CREATE EXTENSION pg_stat_statements in " + String.join(", ", before.missingIn()));
    }
    if (request.dryRun()) {
      RunProgress.enter("planned", "Dry run: nothing was changed; the plan is in the result");
      return finish("PLANNED", null);
    }

    // 2. Enable pg_stat_statements: preload the library (needs a restart).
    if (preload) {
      GateOutcome decision = ask(new GateRequest(
          PRELOAD_GATE,
          "ALTER SYSTEM SET shared_preload_libraries = '" + withPgStatStatements(before.preloadLibraries())
              + "' (now '" + before.preloadLibraries() + "'), then restart the server (pg_ctl restart -m fast):"
              + " every session is disconnected, the server is down for seconds",
          "target " + request.target(),
          "pg_stat_statements records statements only when loaded at server start; slow-query analysis"
              + " (Detailed Diagnosis, Scenario 4) needs it",
          GATE_TIMEOUT, OnTimeout.ABORT));
      if (!decision.approved()) {
        return rejected(decision);
      }
      RunProgress.enter("preload", "Preloading pg_stat_statements and restarting " + request.target());
      String loaded = restart.preloadPgStatStatements(request.target());
      actions.add("shared_preload_libraries set to '" + loaded + "' and the server restarted");
      recheck("after the restart");
    }

    // 3. CREATE EXTENSION IF NOT EXISTS pg_stat_statements where it is missing.
    if (create) {
      GateOutcome decision = ask(new GateRequest(
          EXTENSION_GATE,
          "CREATE EXTENSION IF NOT EXISTS pg_stat_statements in database(s) " + String.join(", ", before.missingIn()),
          "target " + request.target(),
          "the extension's view is what the diagnosis reads; creating it takes a moment and no restart",
          GATE_TIMEOUT, OnTimeout.ABORT));
      if (!decision.approved()) {
        return rejected(decision);
      }
      RunProgress.enter("create-extension", "Creating pg_stat_statements in " + String.join(", ", before.missingIn()));
      List<String> created = quick.createPgStatStatements(request.target(), before.missingIn());
      actions.add("CREATE EXTENSION pg_stat_statements in " + (created.isEmpty() ? "no database (present already)" : String.join(", ", created)));
      recheck("after creating the extension");
    }

    // 4. The outcome: readable everywhere or not.
    RunProgress.enter("done", checks.isEmpty() ? before.describe() : checks.get(checks.size() - 1));
    return finish("DONE", null);
  }

  /** Whether the preload step applies; when it does not, says why in the findings. */
  private boolean planPreload() {
    if (before.preloaded()) {
      return false;
    }
    if (before.hosting() != Hosting.HOST) {
      findings.add("shared_preload_libraries is NOT changed automatically on " + before.hosting() + " hosting: add"
          + " pg_stat_statements where the cluster's parameters come from (operator spec, mounted postgresql.conf)"
          + " and restart the StatefulSet; until then the extension's view cannot be read");
      return false;
    }
    if ("command line".equals(before.preloadSource())) {
      findings.add("shared_preload_libraries is set on the server's command line, which overrides ALTER SYSTEM:"
          + " add pg_stat_statements where the server is started (pg_ctl -o, the service unit)");
      return false;
    }
    plan.add("gate " + PRELOAD_GATE + ", then ALTER SYSTEM SET shared_preload_libraries = '"
        + withPgStatStatements(before.preloadLibraries()) + "' and pg_ctl restart -m fast");
    return true;
  }

  /** The list with pg_stat_statements appended (the same rule as the activity's). */
  static String withPgStatStatements(String libraries) {
    String current = libraries == null ? "" : libraries.strip();
    return current.isEmpty() ? "pg_stat_statements" : current + ", pg_stat_statements";
  }

  private void recheck(String when) {
    RunProgress.enter("recheck", "Reading pg_stat_statements' state " + when);
    after = quick.inspectStatementStatistics(request.target(), request.databases());
    checks.add(when + ": " + after.describe() + (after.complete() && after.readableIn().containsAll(after.installedIn())
        ? "; statement statistics are collected" : "; not complete yet"));
  }

  private GateOutcome ask(GateRequest gateRequest) {
    GateOutcome outcome = gate.await(gateRequest);
    decisions.add(outcome);
    return outcome;
  }

  private PreventionResult rejected(GateOutcome outcome) {
    String reason = outcome.refusal();
    RunProgress.enter("rejected", reason);
    return finish("REJECTED", reason);
  }

  private PreventionResult finish(String outcome, String reason) {
    return new PreventionResult(outcome, request.target(), before, after, List.copyOf(plan), List.copyOf(decisions),
        List.copyOf(actions), List.copyOf(findings), List.copyOf(checks), reason);
  }
}
