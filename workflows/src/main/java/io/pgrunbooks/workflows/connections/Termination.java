package io.pgrunbooks.workflows.connections;

import java.util.List;

/**
 * What step 2 did with the approved list.
 *
 * @param terminated the pids ended
 * @param skipped the approved sessions left alone, each with why (active again, gone)
 */
public record Termination(List<Integer> terminated, List<String> skipped) {}
