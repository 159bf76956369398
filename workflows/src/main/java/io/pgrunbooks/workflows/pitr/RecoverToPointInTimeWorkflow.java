package io.pgrunbooks.workflows.pitr;

import io.pgrunbooks.workflows.approval.ApprovalSignals;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Seed 000 "Point-in-Time Recovery", with pgBackRest. Corrections of the seed: the seed writes
 * {@code recovery.conf}, which PostgreSQL 12 and later refuse to start with; pgBackRest's restore
 * writes {@code recovery.signal} and the recovery settings into {@code postgresql.auto.conf}
 * instead, and nothing here writes recovery.conf. The seed also recovers in place; here the old
 * data directory is moved aside and kept, and a target the archive cannot reach is refused up
 * front instead of silently recovering to the end of WAL.
 */
@WorkflowInterface
public interface RecoverToPointInTimeWorkflow extends ApprovalSignals {
  String TYPE = "RecoverToPointInTime";

  /** Id of the gate before the database is stopped. */
  String GATE = "stop-and-restore";

  @WorkflowMethod(name = TYPE)
  PitrResult recover(PitrRequest request);
}
