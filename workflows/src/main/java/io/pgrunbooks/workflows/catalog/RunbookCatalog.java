package io.pgrunbooks.workflows.catalog;

import io.pgrunbooks.workflows.assessment.AssessDatabaseHealthWorkflow;
import java.util.List;
import java.util.Optional;

/** Every runbook this service runs. */
public final class RunbookCatalog {
  private RunbookCatalog() {}

  public static final RunbookDescriptor ASSESS_DATABASE_HEALTH =
      new RunbookDescriptor(
          "assess-database-health",
          AssessDatabaseHealthWorkflow.TYPE,
          "Immediate assessment: readiness, connections, disk, memory, pods, volumes, application"
              + " logs; severity and the scenario to run",
          "Database Failures Response / Immediate Assessment (0-10 minutes)",
          List.of());

  public static final List<RunbookDescriptor> ALL = List.of(ASSESS_DATABASE_HEALTH);

  public static Optional<RunbookDescriptor> find(String name) {
    return ALL.stream().filter(r -> r.name().equals(name)).findFirst();
  }
}
