package io.pgrunbooks.workflows.maintenance;

import java.util.List;

/** Every database's maintenance; one that failed does not stop the others. */
public record MaintenanceResult(String target, List<DatabaseMaintenance> databases) {}
