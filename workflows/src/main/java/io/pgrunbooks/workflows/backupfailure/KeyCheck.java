package io.pgrunbooks.workflows.backupfailure;

/**
 * Scenario 5's checks of the encryption key (the passphrase behind the reference, never itself).
 *
 * @param keyRef the configured reference (null: none configured)
 * @param resolves whether it resolves to a non-empty passphrase
 * @param length its length in characters (0 when it does not resolve)
 * @param keyId the key id backups record for it (null when it does not resolve)
 * @param roundTrip whether a small text encrypted and decrypted with it comes back the same
 * @param problem what is wrong and what to configure (null when nothing is)
 * @param writeProblem why a run cannot write {@code keyRef} (an {@code env:} reference, a missing
 *     directory, none configured), in words a person can act on; null when it can, so that a
 *     missing key can be created and a key rotated under approval
 * @param archiveRef where a rotation keeps the current passphrase, {@code <keyRef>.<keyId>}, so that
 *     backups with its key id stay openable; null when the key does not resolve or cannot be written
 */
public record KeyCheck(
    String keyRef, boolean resolves, int length, String keyId, boolean roundTrip, String problem, String writeProblem,
    String archiveRef) {

  /** A check that did not look at whether the reference can be written: nothing is offered to write. */
  public KeyCheck(String keyRef, boolean resolves, int length, String keyId, boolean roundTrip, String problem) {
    this(keyRef, resolves, length, keyId, roundTrip, problem, "whether the reference can be written was not checked", null);
  }

  public boolean ok() {
    return resolves && roundTrip && problem == null;
  }

  /** The key reference names nothing usable and a run can write it: the create-backup-key gate applies. */
  public boolean creatable() {
    return keyRef != null && !resolves && writeProblem == null;
  }

  public String describe() {
    return ok() ? "key " + keyRef + " resolves (" + length + " characters, key id " + keyId + "), round trip passes" : problem;
  }
}
