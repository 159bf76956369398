package io.pgrunbooks.workflows.restore;

/**
 * A request to drop what a restore kept.
 *
 * @param target the target
 * @param database {@code <db>_pre_restore_<ts>} or {@code <db>_restore_<ts>}
 * @param dryRun describe, open no gate, drop nothing
 * @param requestedBy who asked (they may not approve)
 */
public record DropLeftoverRequest(String target, String database, boolean dryRun, String requestedBy) {}
