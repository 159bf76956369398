package io.pgrunbooks.workflows.backup;

import java.util.List;

/**
 * Input of {@link BackupDatabasesWorkflow}. Everything but the target is optional and defaults to
 * the target's backup configuration.
 *
 * @param target a configured target
 * @param databases the databases to back up (empty: the target's configured databases)
 * @param format compatible (default) or fast
 * @param parallelism how many databases are dumped at once (0: the configured bound)
 * @param keyRef reference to the encryption passphrase ({@code env:}, {@code file:}, {@code k8s:}),
 *     never the passphrase itself (null: the target's configured key)
 * @param requestedBy who asked
 */
public record BackupRequest(
    String target,
    List<String> databases,
    BackupFormat format,
    int parallelism,
    String keyRef,
    String requestedBy) {}
