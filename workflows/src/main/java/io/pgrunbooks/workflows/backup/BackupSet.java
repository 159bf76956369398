package io.pgrunbooks.workflows.backup;

import java.util.List;

/**
 * A backup run's objects, read from its metadata.json.
 *
 * @param target the target
 * @param store the object store
 * @param metadataKey the metadata.json read
 * @param label the run's label
 * @param keyRef reference to the passphrase the run used
 * @param keyId identifier of that passphrase
 * @param objects the complete objects the run listed
 */
public record BackupSet(
    String target, String store, String metadataKey, String label, String keyRef, String keyId, List<BackupObject> objects) {}
