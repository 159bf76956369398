package io.pgrunbooks.workflows.watch;

/**
 * How a watch ended.
 *
 * @param rules what was installed
 * @param installedAt RFC 3339
 * @param removedAt RFC 3339
 * @param endedBy {@code timer}, or who ended it early with the stop signal
 */
public record WatchResult(InstalledRules rules, String installedAt, String removedAt, String endedBy) {}
