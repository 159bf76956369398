package io.pgrunbooks.workflows.prevention;

import io.pgrunbooks.workflows.approval.ApprovalSignals;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Prevention and Improvements / Query Performance Monitoring: makes {@code pg_stat_statements} work
 * on a target. The seed's {@code CREATE EXTENSION} alone gives a view that errors on every read
 * until the library is in {@code shared_preload_libraries}, which only a restart applies: that is
 * the first gate; creating the extension in each database lacking it is the second.
 */
@WorkflowInterface
public interface EnablePgStatStatementsWorkflow extends ApprovalSignals {
  String TYPE = "EnablePgStatStatements";

  /** Gate before {@code ALTER SYSTEM SET shared_preload_libraries} and the restart. */
  String PRELOAD_GATE = "preload-pg-stat-statements";

  /** Gate before {@code CREATE EXTENSION pg_stat_statements} in the databases lacking it. */
  String EXTENSION_GATE = "create-extension";

  @WorkflowMethod(name = TYPE)
  PreventionResult enable(PreventionRequest request);
}
