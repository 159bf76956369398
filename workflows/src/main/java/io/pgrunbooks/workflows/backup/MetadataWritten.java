package io.pgrunbooks.workflows.backup;

import java.util.List;

/**
 * What {@link BackupActivities#writeRunMetadata} did.
 *
 * @param metadataKey the metadata.json written
 * @param verifiedDatabases databases whose object was found in the store with its recorded size
 *     and listed; succeeded backups missing from the store are left out (and named in missing)
 * @param missing databases reported as succeeded whose object is not in the store as recorded
 */
public record MetadataWritten(String metadataKey, List<String> verifiedDatabases, List<String> missing) {}
