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
 */
public record KeyCheck(String keyRef, boolean resolves, int length, String keyId, boolean roundTrip, String problem) {
  public boolean ok() {
    return resolves && roundTrip && problem == null;
  }

  public String describe() {
    return ok() ? "key " + keyRef + " resolves (" + length + " characters, key id " + keyId + "), round trip passes" : problem;
  }
}
