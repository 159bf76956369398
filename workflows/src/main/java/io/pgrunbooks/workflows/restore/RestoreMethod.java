package io.pgrunbooks.workflows.restore;

/**
 * How the restore step will run, and why.
 *
 * @param mode STREAMED or STAGED
 * @param jobs pg_restore jobs (1 when streamed)
 * @param reason e.g. "1.2 GB custom-format dump, 40 GB free in /var/tmp: staged, 2 jobs"
 */
public record RestoreMethod(RestoreMode mode, int jobs, String reason) {}
