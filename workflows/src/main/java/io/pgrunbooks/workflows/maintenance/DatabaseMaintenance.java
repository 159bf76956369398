package io.pgrunbooks.workflows.maintenance;

/**
 * VACUUM ANALYZE of one database.
 *
 * @param database the database
 * @param tables tables vacuumed and analyzed
 * @param millis how long it took
 * @param error why it stopped, or null
 */
public record DatabaseMaintenance(String database, int tables, long millis, String error) {}
