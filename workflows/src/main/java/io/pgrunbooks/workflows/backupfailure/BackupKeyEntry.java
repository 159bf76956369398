package io.pgrunbooks.workflows.backupfailure;

/**
 * One reference of a target's backup keyring, with the key id behind it; never the key.
 *
 * @param keyRef the reference ({@code env:}, {@code file:}, {@code k8s:})
 * @param role {@code current} (backup.key-ref, what new backups use), {@code previous}
 *     (backup.previous-key-refs, kept to open older backups) or {@code archived} (an older
 *     passphrase a rotation kept beside one of those: {@code <ref>.<key id>})
 * @param keyId the key id of its passphrase (16 hex digits), null when it does not resolve
 * @param problem why it cannot be used (does not resolve, empty), null when it can
 */
public record BackupKeyEntry(String keyRef, String role, String keyId, String problem) {}
