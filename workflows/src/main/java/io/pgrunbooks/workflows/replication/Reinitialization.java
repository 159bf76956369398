package io.pgrunbooks.workflows.replication;

/**
 * What the reinitialization did.
 *
 * @param replica the replica
 * @param keptAs host: where the old data directory was moved (never deleted); kubernetes: null
 * @param details what was done, in order, in plain words
 */
public record Reinitialization(String replica, String keptAs, String details) {}
