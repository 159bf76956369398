package io.pgrunbooks.activities.backup;

import io.pgrunbooks.activities.crypto.KeyIds;
import io.pgrunbooks.activities.secrets.SecretArchives;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The passphrases a target's backups may have been made with, searched by the key id a backup
 * records (metadata.json and each manifest), so that after a key rotation both the backups made
 * before it and those made after restore and verify without a keyRef in the request.
 *
 * <p>A rotation needs no configuration change when it follows the archive convention ({@link
 * SecretArchives}), as the backup-failure runbook's rotate-backup-key step does: before the
 * passphrase at a reference R is replaced, the old one is written to {@code R.<its key id>} (for
 * {@code file:/dir/key} the sibling file {@code /dir/key.<key id>}; for {@code k8s:ns/secret/key}
 * the key {@code key.<key id>} of the same Secret) and read back. Those archives of the configured
 * references are found here by the key id a backup records, so backups made before a rotation keep
 * restoring and verifying. A rotation done by hand may instead point {@code
 * pgrunbooks.targets.<t>.backup.key-ref} at the new passphrase and list the old references in
 * {@code pgrunbooks.targets.<t>.backup.previous-key-refs} (references only; the passphrases stay in
 * their secret store). Either way the old passphrase must stay resolvable, or the backups made
 * with it can no longer be opened.
 *
 * <p>References are tried in this order: the ones the caller names first (a request's keyRef, the
 * reference the backup recorded), then the target's key-ref, then its previous-key-refs, then the
 * archive {@code <ref>.<key id>} of each of these; the first whose passphrase has the backup's key
 * id is used. Nothing matching is bad configuration: non-retryable, and the message names the key
 * id and every reference tried with its key id, never a passphrase.
 */
public final class BackupKeyring {
  /** Failure type when no configured passphrase has the backup's key id. */
  public static final String NO_KEY_FOR_KEY_ID = "NoKeyForKeyId";

  private BackupKeyring() {}

  /**
   * A passphrase found for a key id. {@link #toString()} never shows it.
   *
   * @param keyRef the reference it was found under
   * @param passphrase the passphrase
   */
  public record Found(String keyRef, String passphrase) {
    @Override
    public String toString() {
      return "Found[keyRef=" + keyRef + ", passphrase=***]";
    }
  }

  /** The target's configured references: its key-ref first, then its previous-key-refs, without repeats. */
  public static List<String> configured(TargetConfig.BackupSettings backup) {
    Set<String> refs = new LinkedHashSet<>();
    if (backup != null) {
      addIfPresent(refs, backup.keyRef());
      for (String ref : backup.previousKeyRefs()) {
        addIfPresent(refs, ref);
      }
    }
    return List.copyOf(refs);
  }

  /**
   * The configured references ({@link #configured}) each followed by its archives that exist now
   * ({@link SecretResolver#archivesOf}): every key a backup of the target may need, for a listing or
   * for a backup that records no key id.
   */
  public static List<String> withArchives(SecretResolver secrets, TargetConfig.BackupSettings backup) {
    List<String> refs = new ArrayList<>();
    for (String ref : configured(backup)) {
      refs.add(ref);
      refs.addAll(secrets.archivesOf(ref));
    }
    return List.copyOf(new LinkedHashSet<>(refs));
  }

  /**
   * The passphrase with {@code keyId}, from the references in {@code preferred} (nulls and blanks
   * skipped), then the target's configured ones, then the archives of all these for {@code keyId}.
   *
   * @throws ApplicationFailure non-retryable {@link #NO_KEY_FOR_KEY_ID} naming the key id when none matches
   */
  public static Found find(SecretResolver secrets, String targetName, TargetConfig target, String keyId, String... preferred) {
    Set<String> refs = new LinkedHashSet<>();
    for (String ref : preferred) {
      addIfPresent(refs, ref);
    }
    refs.addAll(configured(target.backup()));
    if (SecretArchives.isVersion(keyId)) {
      for (String ref : List.copyOf(refs)) {
        addIfPresent(refs, SecretArchives.reference(ref, keyId));
      }
    }
    List<String> tried = new ArrayList<>();
    for (String ref : refs) {
      String passphrase;
      try {
        passphrase = secrets.resolve(ref);
      } catch (ApplicationFailure e) {
        if (!SecretResolver.UNRESOLVABLE_SECRET.equals(e.getType())) {
          throw e;
        }
        tried.add(ref + " (does not resolve)");
        continue;
      }
      if (passphrase == null || passphrase.isEmpty()) {
        tried.add(ref + " (empty)");
        continue;
      }
      String id = KeyIds.ofPassphrase(passphrase);
      if (id.equals(keyId)) {
        return new Found(ref, passphrase);
      }
      tried.add(ref + " (key id " + id + ")");
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "no configured key has key id " + keyId + ", the key this backup was made with; tried "
            + (tried.isEmpty() ? "nothing (no key reference is configured)" : String.join(", ", tried))
            + ": add a reference to that passphrase to pgrunbooks.targets." + targetName
            + ".backup.previous-key-refs (or keep it as <key-ref>." + keyId + "), or give its keyRef in the request",
        NO_KEY_FOR_KEY_ID);
  }

  private static void addIfPresent(Set<String> refs, String ref) {
    if (ref != null && !ref.isBlank()) {
      refs.add(ref);
    }
  }
}
