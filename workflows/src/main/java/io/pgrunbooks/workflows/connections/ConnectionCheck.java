package io.pgrunbooks.workflows.connections;

/**
 * Client backends against max_connections at one moment.
 *
 * @param clientBackends client backends (what competes for max_connections)
 * @param maxConnections the max_connections in effect
 * @param percentUsed 100 * clientBackends / maxConnections, 2 places
 * @param thresholdPercent the target's connections-warn-percent
 * @param underThreshold whether percentUsed is below thresholdPercent
 */
public record ConnectionCheck(
    int clientBackends, int maxConnections, double percentUsed, double thresholdPercent, boolean underThreshold) {

  public String describe() {
    return clientBackends + " of " + maxConnections + " connections (" + percentUsed + " %), "
        + (underThreshold ? "under" : "NOT under") + " the " + thresholdPercent + " % threshold";
  }
}
