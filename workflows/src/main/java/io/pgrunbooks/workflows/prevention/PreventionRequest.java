package io.pgrunbooks.workflows.prevention;

import java.util.List;

/**
 * Input of EnablePgStatStatements.
 *
 * @param target a configured target
 * @param databases where the extension must exist (empty: the target's databases)
 * @param dryRun inspect and plan, change nothing
 * @param requestedBy who started the run (may reject, never approve its gates)
 */
public record PreventionRequest(String target, List<String> databases, boolean dryRun, String requestedBy) {
  public PreventionRequest {
    databases = databases == null ? List.of() : List.copyOf(databases);
  }
}
