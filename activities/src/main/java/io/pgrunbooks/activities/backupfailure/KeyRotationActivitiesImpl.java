package io.pgrunbooks.activities.backupfailure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgrunbooks.activities.backup.BackupKeyring;
import io.pgrunbooks.activities.crypto.DecryptedStream;
import io.pgrunbooks.activities.crypto.EncryptedBackups;
import io.pgrunbooks.activities.crypto.KeyIds;
import io.pgrunbooks.activities.crypto.KeyMaterial;
import io.pgrunbooks.activities.secrets.SecretArchives;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.secrets.SecretWriter;
import io.pgrunbooks.activities.storage.ObjectStorage;
import io.pgrunbooks.activities.storage.StoredObject;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.backupfailure.BackupKeyCheck;
import io.pgrunbooks.workflows.backupfailure.BackupKeyEntry;
import io.pgrunbooks.workflows.backupfailure.KeyRotationActivities;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The encryption class of the backup-failure runbook. See {@link KeyRotationActivities}.
 *
 * <p>Corrections to the seed's Scenario 5: its round trip passes the key on openssl's command line
 * ({@code -k}), visible to every process on the node, so the round trip runs here in the backups'
 * own format instead; and its rotation ({@code kubectl create secret generic
 * postgres-backup-secret-new --from-literal=encryption-key=...}) puts the new key on a command line
 * too, makes a secret nothing reads, and keeps the old key, needed by every existing backup,
 * nowhere a restore would look. Here a rotation writes the old passphrase to its archive {@code
 * <key-ref>.<key id>} ({@link io.pgrunbooks.activities.secrets.SecretArchives}), reads it back,
 * and only then replaces the passphrase at {@code backup.key-ref} with a new random one; restores
 * and verifications find the archive by the key id each backup records ({@link BackupKeyring}).
 * New passphrases come from {@link SecureRandom}: 256 bits, 44 base64 characters.
 */
@Component
public class KeyRotationActivitiesImpl implements KeyRotationActivities {
  /** Below this many characters a passphrase is reported as short (a finding, not a failure; the seed sets no minimum). */
  static final int SHORT_PASSPHRASE = 20;

  /** Runs no configured key opens, listed by their metadata key up to this many (all are counted in runsByKeyId). */
  static final int LISTED_RUNS = 20;

  private static final byte[] PROBE = "pg-runbooks key check\n".getBytes(StandardCharsets.UTF_8);

  /** Bytes of a new passphrase: 256 bits, as AES-256 keys are. */
  static final int NEW_KEY_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final TargetRegistry targets;
  private final ObjectStorage storage;
  private final SecretResolver secrets;
  private final SecretWriter writer;
  private final ObjectMapper json = new ObjectMapper();

  public KeyRotationActivitiesImpl(TargetRegistry targets, ObjectStorage storage, SecretResolver secrets, SecretWriter writer) {
    this.targets = targets;
    this.storage = storage;
    this.secrets = secrets;
    this.writer = writer;
  }

  private TargetConfig.BackupSettings settings(String target) {
    TargetConfig config = targets.get(target);
    if (config.backup() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "target " + target + " has no backup configuration (pgrunbooks.targets." + target + ".backup)", "InvalidBackupRequest");
    }
    return config.backup();
  }

  @Override
  public BackupKeyCheck checkBackupKey(String target) {
    TargetConfig.BackupSettings settings = settings(target);
    String property = "pgrunbooks.targets." + target + ".backup.";
    List<String> findings = new ArrayList<>();
    List<String> toChange = new ArrayList<>();

    // 1. The key reference resolves (the seed's `kubectl get secret ... encryption-key`), and its length (`| wc -c`).
    List<BackupKeyEntry> keyring = describe(settings);
    BackupKeyEntry current = keyring.stream().filter(e -> e.role().equals("current")).findFirst().orElse(null);
    String passphrase = current == null || current.keyId() == null ? null : secrets.resolve(current.keyRef());
    int length = passphrase == null ? 0 : passphrase.length();
    if (current == null) {
      findings.add("no encryption key is configured: " + property + "key-ref is empty");
      toChange.add("create a secret with a new passphrase and set " + property + "key-ref to its reference");
    } else if (passphrase == null) {
      findings.add("the encryption key " + current.keyRef() + " cannot be used: " + current.problem());
      toChange.add(
          "make " + current.keyRef() + " resolve to the passphrase (if that passphrase is lost, backups with its key id"
              + " cannot be opened: a new one is written there by the backup-failure runbook's create-backup-key step, or"
              + " point " + property + "key-ref at a new one; then take a new backup)");
    } else if (length < SHORT_PASSPHRASE) {
      findings.add("the encryption key " + current.keyRef() + " is only " + length + " characters long");
    }

    // 2. Encrypt and decrypt a probe in the backups' format (the seed's openssl round trip).
    boolean roundTrip = passphrase != null && roundTrip(passphrase, settings.iterations(), findings);

    // 3. The previous and archived keys: each must resolve, or the backups made with it are lost.
    for (BackupKeyEntry entry : keyring) {
      if (!entry.role().equals("current") && entry.problem() != null) {
        findings.add("the " + entry.role() + " key " + entry.keyRef() + " cannot be used: " + entry.problem());
        toChange.add("make " + entry.keyRef() + " resolve again, or "
            + (entry.role().equals("previous") ? "remove it from " + property + "previous-key-refs" : "delete it")
            + " once no backup with its key id is kept");
      }
    }

    // 4. Every backup run in the store, and the latest, has a key id one of the configured keys has
    //    (what a rotation must keep true).
    Set<String> configuredIds = new HashSet<>();
    keyring.forEach(e -> configuredIds.add(e.keyId()));
    Map<String, Integer> runsByKeyId = new TreeMap<>();
    List<String> unopenable = new ArrayList<>();
    backupRunKeyIds(settings, findings).forEach((metadataKey, keyId) -> {
      runsByKeyId.merge(keyId, 1, Integer::sum);
      if (!configuredIds.contains(keyId)) {
        unopenable.add(metadataKey);
      }
    });
    runsByKeyId.forEach((keyId, runs) -> {
      if (!configuredIds.contains(keyId)) {
        findings.add(runs + " backup run(s) were made with key id " + keyId + ", which no configured key has: they cannot be restored");
        toChange.add("add a reference to the passphrase with key id " + keyId + " to " + property + "previous-key-refs");
      }
    });
    String latestKeyId = latestBackupKeyId(settings, findings);
    String latestKeyRef =
        latestKeyId == null
            ? null
            : keyring.stream().filter(e -> latestKeyId.equals(e.keyId())).map(BackupKeyEntry::keyRef).findFirst().orElse(null);
    if (latestKeyId != null && latestKeyRef == null && !runsByKeyId.containsKey(latestKeyId)) {
      findings.add("the latest backup was made with key id " + latestKeyId + ", which no configured key has: it cannot be restored");
      toChange.add("add a reference to the passphrase with key id " + latestKeyId + " to " + property + "previous-key-refs");
    }
    if (latestKeyId != null && keyIdOf(current) != null && !latestKeyId.equals(current.keyId()) && latestKeyRef != null) {
      findings.add("the key was rotated since the latest backup (key id " + latestKeyId + ", now " + current.keyId()
          + "); the old key is kept as " + latestKeyRef + ": take a new backup");
    }
    boolean healthy = roundTrip && unopenable.isEmpty() && (latestKeyId == null || latestKeyRef != null)
        && keyring.stream().allMatch(e -> e.problem() == null);
    return new BackupKeyCheck(
        target, current == null ? null : current.keyRef(), passphrase != null, length, roundTrip, keyIdOf(current), keyring,
        latestKeyId, latestKeyRef, runsByKeyId, unopenable.stream().limit(LISTED_RUNS).toList(), List.copyOf(findings),
        List.copyOf(toChange), healthy);
  }

  /** The keyring: the current reference, the previous ones, and after each the archives it has. */
  private List<BackupKeyEntry> describe(TargetConfig.BackupSettings settings) {
    List<String> configured = BackupKeyring.configured(settings);
    List<BackupKeyEntry> entries = new ArrayList<>();
    for (String ref : BackupKeyring.withArchives(secrets, settings)) {
      String role = ref.equals(settings.keyRef()) ? "current" : configured.contains(ref) ? "previous" : "archived";
      try {
        String passphrase = secrets.resolve(ref);
        if (passphrase == null || passphrase.isEmpty()) {
          entries.add(new BackupKeyEntry(ref, role, null, "resolves to an empty passphrase"));
          continue;
        }
        String keyId = KeyIds.ofPassphrase(passphrase);
        boolean misnamed = role.equals("archived") && !ref.endsWith("." + keyId);
        entries.add(new BackupKeyEntry(ref, role, keyId, misnamed ? "holds key id " + keyId + ", not the one its name says" : null));
      } catch (ApplicationFailure e) {
        if (!SecretResolver.UNRESOLVABLE_SECRET.equals(e.getType())) {
          throw e;
        }
        entries.add(new BackupKeyEntry(ref, role, null, e.getOriginalMessage()));
      }
    }
    return entries;
  }

  /**
   * The passphrase at {@code ref}: empty when the reference does not resolve (another failure, such
   * as the Kubernetes API being away, is thrown), an empty string when it resolves to nothing.
   */
  private Optional<String> read(String ref) {
    try {
      String value = secrets.resolve(ref);
      return Optional.of(value == null ? "" : value);
    } catch (ApplicationFailure e) {
      if (!SecretResolver.UNRESOLVABLE_SECRET.equals(e.getType())) {
        throw e;
      }
      return Optional.empty();
    }
  }

  @Override
  public String createBackupKey(String target) {
    String ref = writableKeyRef(target);
    Optional<String> current = read(ref);
    if (current.isPresent() && !current.get().isEmpty()) {
      return "nothing: " + ref + " resolves already (key id " + KeyIds.ofPassphrase(current.get()) + "); no key was written";
    }
    String passphrase = newPassphrase();
    if (current.isPresent()) {
      writer.replace(ref, passphrase); // an empty passphrase: nothing a backup can have used is lost
    } else {
      writer.create(ref, passphrase); // something there that does not resolve is never overwritten
    }
    return "wrote a new random 256-bit key (key id " + confirm(ref, passphrase) + ") to " + ref + ownerOnly(ref);
  }

  @Override
  public String rotateBackupKey(String target, String oldKeyId) {
    if (!SecretArchives.isVersion(oldKeyId)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "not a passphrase's key id (16 lowercase hex digits): " + oldKeyId, "InvalidBackupRequest");
    }
    String ref = writableKeyRef(target);
    String archive = SecretArchives.reference(ref, oldKeyId);
    String current = read(ref).filter(p -> !p.isEmpty()).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        ref + " does not resolve to a passphrase: there is no key to rotate (create one instead)", "KeyChanged"));
    String currentId = KeyIds.ofPassphrase(current);
    Optional<String> archived = read(archive);
    String archivedId = archived.filter(p -> !p.isEmpty()).map(KeyIds::ofPassphrase).orElse(null);
    if (!currentId.equals(oldKeyId)) {
      if (oldKeyId.equals(archivedId)) {
        return "nothing: the key was rotated already: " + ref + " holds key id " + currentId + ", the old key " + oldKeyId
            + " is kept at " + archive;
      }
      throw ApplicationFailure.newNonRetryableFailure(
          ref + " holds key id " + currentId + ", not " + oldKeyId + " as checked before the approval, and " + archive
              + " does not hold " + oldKeyId + ": someone else changed the key; nothing was written, run the runbook again",
          "KeyChanged");
    }
    // 1. Keep the old passphrase where restores look for it, and read it back, before anything is replaced.
    if (archivedId == null) {
      if (archived.isPresent()) {
        writer.replace(archive, current);
      } else {
        writer.create(archive, current);
      }
    } else if (!archivedId.equals(oldKeyId)) {
      throw ApplicationFailure.newNonRetryableFailure(
          archive + " holds key id " + archivedId + ", not " + oldKeyId + ": it is not overwritten and the key is not rotated",
          "KeyChanged");
    }
    confirm(archive, current);
    // 2. The new passphrase at the reference new backups use.
    String fresh = newPassphrase();
    writer.replace(ref, fresh);
    return "rotated the key at " + ref + ": the old key (key id " + oldKeyId + ") kept at " + archive + " and read back; a new"
        + " random 256-bit key (key id " + confirm(ref, fresh) + ") written to " + ref + ownerOnly(ref);
  }

  /** The target's key-ref, when a run can write it; otherwise a non-retryable failure saying what a person must do. */
  private String writableKeyRef(String target) {
    String ref = settings(target).keyRef();
    String problem = SecretWriter.whyNotWritable(ref);
    if (problem != null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the backup key of target " + target + " (pgrunbooks.targets." + target + ".backup.key-ref) cannot be written by a run: "
              + problem, SecretWriter.UNWRITABLE_SECRET);
    }
    return ref;
  }

  /** Reads {@code ref} back: it must hold {@code written}. Returns its key id. */
  private String confirm(String ref, String written) {
    if (!written.equals(read(ref).orElse(null))) {
      throw ApplicationFailure.newNonRetryableFailure(
          ref + " does not read back what was written to it: check who else writes it", "KeyWriteNotConfirmed");
    }
    return KeyIds.ofPassphrase(written);
  }

  private static String ownerOnly(String ref) {
    return ref.startsWith("file:") ? " (owner-only permissions, 0600)" : "";
  }

  private static String newPassphrase() {
    byte[] bytes = new byte[NEW_KEY_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static boolean roundTrip(String passphrase, int iterations, List<String> findings) {
    try {
      ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
      try (OutputStream out = EncryptedBackups.encrypt(encrypted, passphrase, iterations)) {
        out.write(PROBE);
      }
      try (DecryptedStream in =
          EncryptedBackups.openAnyPayload(
              new ByteArrayInputStream(encrypted.toByteArray()), KeyMaterial.passphrase(passphrase, iterations))) {
        if (Arrays.equals(in.readAllBytes(), PROBE)) {
          return true;
        }
      }
      findings.add("encryption round trip: the decrypted probe differs from what was encrypted");
    } catch (IOException | RuntimeException e) {
      findings.add("encryption round trip failed: " + e.getMessage());
    }
    return false;
  }

  /** The key id of each backup run's metadata.json under {@code <prefix>/manual/}, by its key. */
  private Map<String, String> backupRunKeyIds(TargetConfig.BackupSettings settings, List<String> findings) {
    Map<String, String> keyIds = new LinkedHashMap<>();
    String prefix = settings.prefix() + "/manual/";
    try {
      for (StoredObject object : storage.list(settings.store(), prefix)) {
        if (object.key().endsWith("-metadata.json")) {
          String keyId = json.readTree(storage.getText(settings.store(), object.key())).path("keyId").asText(null);
          if (keyId != null) {
            keyIds.put(object.key(), keyId);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      findings.add("cannot read the backup runs under " + prefix + " to see which keys they need: " + e.getMessage());
    }
    return keyIds;
  }

  private String latestBackupKeyId(TargetConfig.BackupSettings settings, List<String> findings) {
    String key = settings.prefix() + "/latest/metadata.json";
    try {
      if (storage.head(settings.store(), key).isEmpty()) {
        return null;
      }
      JsonNode metadata = json.readTree(storage.getText(settings.store(), key));
      return metadata.path("keyId").asText(null);
    } catch (IOException | RuntimeException e) {
      findings.add("cannot read " + key + " to see which key the latest backup needs: " + e.getMessage());
      return null;
    }
  }

  private static String keyIdOf(BackupKeyEntry entry) {
    return entry == null ? null : entry.keyId();
  }
}
