package io.pgrunbooks.workflows.disk;

import java.util.List;

/**
 * What the log deletion did with the approved list.
 *
 * @param deleted the names deleted
 * @param freedBytes their sizes, summed
 * @param skipped approved files left alone, each with why (gone, written since)
 */
public record LogDeletion(List<String> deleted, long freedBytes, List<String> skipped) {}
