package io.pgrunbooks.workflows.diagnosis;

/**
 * {@code pg_ctl status} of a host target (the host's counterpart of describing the pod).
 *
 * @param running whether the postmaster runs (exit code 0)
 * @param exitCode pg_ctl's exit code: 0 running, 3 not running, 4 no accessible data directory
 * @param output what pg_ctl said (the server's pid and command line when running)
 */
public record ServerStatus(boolean running, int exitCode, String output) {}
