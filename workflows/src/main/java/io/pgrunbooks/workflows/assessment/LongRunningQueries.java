package io.pgrunbooks.workflows.assessment;

import java.util.List;

/**
 * Active statements running longer than the slow-query threshold (seed Scenario 4's first query).
 *
 * @param thresholdSeconds the threshold used
 * @param count how many statements exceed it
 * @param longestSeconds the longest running time, 0 when none
 * @param samples up to five of them, longest first: pid, seconds, database and the query's start
 */
public record LongRunningQueries(
    double thresholdSeconds, int count, double longestSeconds, List<String> samples) {}
