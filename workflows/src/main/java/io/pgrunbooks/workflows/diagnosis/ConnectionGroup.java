package io.pgrunbooks.workflows.diagnosis;

/**
 * Sessions of one client, user, database and state (the seed's connection analysis).
 *
 * @param clientAddr the client's address; null for Unix-socket connections
 * @param user the role
 * @param database the database
 * @param state active, idle, idle in transaction, ...
 * @param connections how many
 */
public record ConnectionGroup(String clientAddr, String user, String database, String state, int connections) {}
