package io.pgrunbooks.workflows.backup;

import java.util.List;

/**
 * Input of {@link VerifyBackupWorkflow}.
 *
 * @param target the target whose backups to verify
 * @param metadataKey a run's metadata.json (null: {@code <prefix>/latest/metadata.json})
 * @param databases only these databases of the run (empty: all of them)
 * @param keyRef the passphrase's reference, when it is no longer where the backup run found it
 *     (after a key rotation the old key lives elsewhere); it must still match the recorded key id
 * @param requestedBy who asked
 */
public record VerifyRequest(
    String target, String metadataKey, List<String> databases, String keyRef, String requestedBy) {}
