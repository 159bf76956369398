package io.pgrunbooks.workflows.maintenance;

import java.util.List;

/**
 * @param target the target
 * @param databases which databases (empty: all the target's)
 * @param requestedBy who asked, or who created the schedule
 */
public record MaintenanceRequest(String target, List<String> databases, String requestedBy) {}
