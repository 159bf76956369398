package io.pgrunbooks.workflows.restore;

/**
 * A database a restore left behind.
 *
 * @param name e.g. link_users_pre_restore_20261122_203000
 * @param sizeBytes pg_database_size
 * @param sessions sessions connected to it now (a drop ends them)
 */
public record LeftoverDatabase(String name, long sizeBytes, int sessions) {}
