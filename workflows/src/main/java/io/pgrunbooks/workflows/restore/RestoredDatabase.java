package io.pgrunbooks.workflows.restore;

/**
 * The restore step's outcome.
 *
 * @param name the new database, e.g. link_users_restore_20261122_203000
 * @param method how it was fed
 * @param bytesRead encrypted bytes read from the store
 * @param millis wall time of the restore
 */
public record RestoredDatabase(String name, RestoreMethod method, long bytesRead, long millis) {}
