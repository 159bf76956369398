package io.pgrunbooks.activities.restore;

import io.pgrunbooks.activities.crypto.KeyMaterial;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;

/** The key material a restore opens backups with, resolved from references inside the activity. */
final class RestoreKeys {
  private RestoreKeys() {}

  /** The request's reference, else the target's backup key. */
  static String reference(TargetConfig target, String keyRef) {
    if (keyRef != null && !keyRef.isBlank()) {
      return keyRef;
    }
    if (target.backup() == null || target.backup().keyRef() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "no key: the request names no keyRef and the target has no backup.key-ref", "InvalidRestoreRequest");
    }
    return target.backup().keyRef();
  }

  static KeyMaterial resolve(SecretResolver secrets, TargetConfig target, String keyRef, int iterations) {
    String passphrase = secrets.resolve(reference(target, keyRef));
    String ringRef = target.restore().openpgpKeyRingRef();
    byte[] ring = ringRef == null ? null : secrets.resolve(ringRef).getBytes(StandardCharsets.UTF_8);
    return new KeyMaterial(passphrase, iterations, ring, ring == null ? null : passphrase);
  }
}
