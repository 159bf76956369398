package io.pgrunbooks.workflows.backupfailure;

/** The seed's "Common Error Patterns" and its five resolution scenarios, plus what matches none of them. */
public enum FailureClass {
  /** Scenario 1: connection refused, timeout, host unreachable. */
  CONNECTIVITY,
  /** Scenario 2: authentication failed, permission denied, role does not exist. */
  AUTHENTICATION,
  /** Scenario 3: no space left on device, disk full. */
  STORAGE,
  /** Scenario 4: S3 access denied, bucket does not exist, invalid credentials. */
  S3,
  /** Scenario 5: encryption failed, invalid key, openssl error, a key reference that resolves to nothing. */
  ENCRYPTION,
  /** None of the seed's patterns: a finding of its own, with the error's text. */
  UNKNOWN
}
