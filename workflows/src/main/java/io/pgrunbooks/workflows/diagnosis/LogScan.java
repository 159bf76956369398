package io.pgrunbooks.workflows.diagnosis;

import io.pgrunbooks.workflows.artifacts.Excerpt;
import java.util.List;

/**
 * A database log filtered for {@code ERROR|FATAL|PANIC} (seed: {@code kubectl logs ... | grep -E}).
 *
 * @param source where it was read: {@code pod/container (current)}, {@code pod/container
 *     (previous)} or the server log file's path
 * @param linesRead lines read (the tail of the log)
 * @param matches the matching lines, newest last, each cut to 300 characters, at most 50
 * @param matchCount all matching lines, also those beyond the 50 kept
 * @param log the lines read: an excerpt, the whole in the artifact store
 */
public record LogScan(String source, int linesRead, List<String> matches, int matchCount, Excerpt log) {}
