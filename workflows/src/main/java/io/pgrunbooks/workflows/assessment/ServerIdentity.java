package io.pgrunbooks.workflows.assessment;

/**
 * {@code SELECT version()} and {@code SELECT now()}: the server works and its clock is sane.
 *
 * @param version the full version() string
 * @param serverVersionNum server_version_num, e.g. 150012
 * @param serverTime now() on the server, RFC 3339
 * @param inRecovery pg_is_in_recovery(): true on a standby
 */
public record ServerIdentity(
    String version, int serverVersionNum, String serverTime, boolean inRecovery) {}
