package io.pgrunbooks.workflows.crashrecovery;

import java.util.List;

/**
 * What the approved log deletion did.
 *
 * @param deleted the names deleted
 * @param skipped the approved files left alone, each with why (written to since, gone already)
 * @param bytesFreed the sizes of the deleted files
 */
public record LogCleanup(List<String> deleted, List<String> skipped, long bytesFreed) {}
