package io.pgrunbooks.activities.secrets;

import java.util.regex.Pattern;

/**
 * Where an older version of a secret is kept when a run replaces it, so that nothing has to be
 * configured for the old value to stay resolvable: the reference with {@code .<version>}
 * appended, where the version is 16 lowercase hex digits (for a backup key: its key id).
 *
 * <ul>
 *   <li>{@code file:/etc/pgrunbooks/backup-key} keeps version {@code 0123456789abcdef} in the
 *       sibling file {@code file:/etc/pgrunbooks/backup-key.0123456789abcdef};
 *   <li>{@code k8s:ns/secret/key} keeps it under the key {@code key.0123456789abcdef} of the same
 *       Secret ({@code k8s:ns/secret/key.0123456789abcdef}).
 * </ul>
 *
 * <p>{@code env:} references have no archives: a run cannot write the worker's environment.
 */
public final class SecretArchives {
  /** A version: 16 lowercase hex digits, as {@code KeyIds.ofPassphrase} names a passphrase. */
  static final Pattern VERSION = Pattern.compile("[0-9a-f]{16}");

  private SecretArchives() {}

  /**
   * The reference of {@code version} of {@code reference}; null for references that cannot have
   * archives ({@code env:}, anything not {@code file:} or {@code k8s:}).
   *
   * @throws IllegalArgumentException when {@code version} is not 16 lowercase hex digits
   */
  public static String reference(String reference, String version) {
    if (!isVersion(version)) {
      throw new IllegalArgumentException("not a version (16 lowercase hex digits): " + version);
    }
    return archivable(reference) ? reference + "." + version : null;
  }

  /** Whether {@code version} is one (16 lowercase hex digits; an OpenPGP key id, upper case, is not). */
  public static boolean isVersion(String version) {
    return version != null && VERSION.matcher(version).matches();
  }

  /** Whether {@code reference} can have archives: {@code file:} and {@code k8s:} references. */
  public static boolean archivable(String reference) {
    return reference != null && (reference.startsWith("file:") || reference.startsWith("k8s:"));
  }

  /** Whether {@code name} (a file name or a Secret's key) is an archive of {@code base} (its own name or key). */
  static boolean isArchiveName(String name, String base) {
    return name.length() == base.length() + 17
        && name.startsWith(base + ".")
        && VERSION.matcher(name.substring(base.length() + 1)).matches();
  }
}
