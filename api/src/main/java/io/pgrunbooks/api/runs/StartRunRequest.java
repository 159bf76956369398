package io.pgrunbooks.api.runs;

import java.util.List;

/**
 * Body of {@code POST /api/runs}. Only runbook and target are needed; the rest tunes runbooks that
 * take it and is refused by those that don't.
 *
 * @param runbook a name from {@code GET /api/runbooks}, e.g. {@code assess-database-health}
 * @param target a name from {@code GET /api/targets}
 * @param databases backup-databases: which databases (default: the target's)
 * @param format backup-databases: {@code compatible} (default, the seed's) or {@code fast}
 * @param parallelism backup-databases: databases dumped at once (default: the target's)
 * @param keyRef backup-databases, verify-backup: reference to the passphrase, never the passphrase
 * @param metadataKey verify-backup: the run's metadata.json (default: the latest)
 */
public record StartRunRequest(
    String runbook,
    String target,
    List<String> databases,
    String format,
    Integer parallelism,
    String keyRef,
    String metadataKey) {}
