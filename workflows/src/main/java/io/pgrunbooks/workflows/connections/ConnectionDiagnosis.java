package io.pgrunbooks.workflows.connections;

import io.pgrunbooks.workflows.targets.Hosting;
import java.util.List;
import java.util.Map;

/**
 * Step 1, read-only: what holds the connections.
 *
 * @param hosting how the target runs (decides the restart and max_connections steps)
 * @param usage client backends against max_connections and the threshold
 * @param byState client backends per state (the seed's first query)
 * @param sources client backends per address, role, application and state (the seed's second)
 * @param idle the sessions step 2 would end: client backends idle longer than the request's minutes,
 *     not superusers', not this service's own
 * @param deployments the application deployments configured for the target
 * @param maxConnectionsSource pg_settings.source of max_connections (e.g. configuration file,
 *     command line: ALTER SYSTEM then does not take effect)
 */
public record ConnectionDiagnosis(
    Hosting hosting,
    ConnectionCheck usage,
    Map<String, Integer> byState,
    List<ConnectionSource> sources,
    List<IdleBackend> idle,
    List<String> deployments,
    String maxConnectionsSource) {}
