package io.pgrunbooks.workflows.connections;

/**
 * The seed's "identify connection sources" row, for every state (not only active).
 *
 * @param clientAddr the client's address (null: a Unix socket)
 * @param user the role
 * @param application application_name
 * @param state active, idle, idle in transaction, ...
 * @param connections how many client backends share these
 */
public record ConnectionSource(String clientAddr, String user, String application, String state, int connections) {}
