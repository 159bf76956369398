package io.pgrunbooks.workflows.slowqueries;

import java.util.List;

/**
 * What the approved cancellations did.
 *
 * @param stopped pids signalled that were gone (terminate) or no longer running that statement
 *     (cancel) within the wait
 * @param notStopped pids signalled that were still there after the wait, each with its state
 * @param skipped approved backends left alone, each with why (finished, another statement now, no
 *     longer blocking, gone, not permitted)
 */
public record Stopping(List<Integer> stopped, List<String> notStopped, List<String> skipped) {}
