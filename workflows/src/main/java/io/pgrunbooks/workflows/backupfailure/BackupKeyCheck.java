package io.pgrunbooks.workflows.backupfailure;

import java.util.List;
import java.util.Map;

/**
 * The encryption key of a target's backups, checked (step 5, the encryption class: the seed's
 * {@code wc -c} of the key and its openssl round trip), and whether the latest backup can still be
 * opened with the configured keys. Holds references and key ids only, never a passphrase.
 *
 * @param target the target's name
 * @param keyRef the current reference, {@code pgrunbooks.targets.<t>.backup.key-ref}; null when none is configured
 * @param resolves whether it resolves to a non-empty passphrase
 * @param length the passphrase's length in characters (0 when it does not resolve)
 * @param roundTrip whether a probe encrypted as backups are (openssl AES-256-CBC, PBKDF2 with the
 *     target's iterations) decrypts to the same bytes
 * @param keyId the current passphrase's key id, what new backups record; null when it does not resolve
 * @param keyring every reference, current first, then backup.previous-key-refs, each followed by its archives
 *     ({@code <ref>.<key id>}, kept by a rotation)
 * @param latestBackupKeyId the key id the latest backup's metadata.json records; null when there is no backup yet
 * @param latestBackupKeyRef the configured reference whose key id is {@code latestBackupKeyId}; null when none is
 * @param runsByKeyId every backup run in the store ({@code <prefix>/manual/*-metadata.json}) counted by the key id
 *     it records: after a rotation, each of these ids must be a configured key's
 * @param unopenableRuns metadata keys of runs whose key id no configured or archived key has (the first 20)
 * @param findings what is wrong, one line each, for a person; empty when nothing is
 * @param toChange what a person must change in configuration or secrets to repair it (a rotation by hand: a new
 *     secret and the old reference kept as previous; the runbook's rotation keeps the old key in an archive
 *     instead); empty when nothing
 * @param healthy the current key encrypts and decrypts, every configured key resolves, and every backup run in
 *     the store (and the latest) can be opened
 */
public record BackupKeyCheck(
    String target,
    String keyRef,
    boolean resolves,
    int length,
    boolean roundTrip,
    String keyId,
    List<BackupKeyEntry> keyring,
    String latestBackupKeyId,
    String latestBackupKeyRef,
    Map<String, Integer> runsByKeyId,
    List<String> unopenableRuns,
    List<String> findings,
    List<String> toChange,
    boolean healthy) {}
