package io.pgrunbooks.workflows.assessment;

import java.util.Map;

/**
 * Connections in use against {@code max_connections}, as the seed's query computes them.
 *
 * @param current backends in pg_stat_activity (client and background)
 * @param clientBackends client backends only: what competes for max_connections
 * @param maxConnections the max_connections setting
 * @param superuserReserved superuser_reserved_connections: slots ordinary roles cannot take
 * @param percentUsed 100 * clientBackends / max_connections, rounded to 2 places as in the seed
 * @param byState client backends per state (active, idle, idle in transaction, ...)
 */
public record ConnectionUsage(
    int current,
    int clientBackends,
    int maxConnections,
    int superuserReserved,
    double percentUsed,
    Map<String, Integer> byState) {}
