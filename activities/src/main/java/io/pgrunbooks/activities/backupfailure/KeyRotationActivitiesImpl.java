package io.pgrunbooks.activities.backupfailure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgrunbooks.activities.backup.BackupKeyring;
import io.pgrunbooks.activities.crypto.DecryptedStream;
import io.pgrunbooks.activities.crypto.EncryptedBackups;
import io.pgrunbooks.activities.crypto.KeyIds;
import io.pgrunbooks.activities.crypto.KeyMaterial;
import io.pgrunbooks.activities.secrets.SecretResolver;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The encryption class of the backup-failure runbook. See {@link KeyRotationActivities}.
 *
 * <p>Corrections to the seed's Scenario 5: its round trip passes the key on openssl's command line
 * ({@code -k}), visible to every process on the node, so the round trip runs here in the backups'
 * own format instead; and its rotation ({@code kubectl create secret generic
 * postgres-backup-secret-new ... | kubectl apply}) makes a secret nothing reads while the old key,
 * needed by every existing backup, is not kept anywhere the restore would look. Here a rotation
 * is: the new passphrase under {@code backup.key-ref}, the old reference under {@code
 * backup.previous-key-refs}; this check then confirms the latest backup is still openable.
 */
@Component
public class KeyRotationActivitiesImpl implements KeyRotationActivities {
  /** Below this many characters a passphrase is reported as short (a finding, not a failure; the seed sets no minimum). */
  static final int SHORT_PASSPHRASE = 20;

  /** Runs no configured key opens, listed by their metadata key up to this many (all are counted in runsByKeyId). */
  static final int LISTED_RUNS = 20;

  private static final byte[] PROBE = "pg-runbooks key check\n".getBytes(StandardCharsets.UTF_8);

  private final TargetRegistry targets;
  private final ObjectStorage storage;
  private final SecretResolver secrets;
  private final ObjectMapper json = new ObjectMapper();

  public KeyRotationActivitiesImpl(TargetRegistry targets, ObjectStorage storage, SecretResolver secrets) {
    this.targets = targets;
    this.storage = storage;
    this.secrets = secrets;
  }

  @Override
  public BackupKeyCheck checkBackupKey(String target) {
    TargetConfig config = targets.get(target);
    if (config.backup() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "target " + target + " has no backup configuration (pgrunbooks.targets." + target + ".backup)", "InvalidBackupRequest");
    }
    TargetConfig.BackupSettings settings = config.backup();
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
              + " cannot be opened: create a new one, point " + property + "key-ref at it, and take a new backup)");
    } else if (length < SHORT_PASSPHRASE) {
      findings.add("the encryption key " + current.keyRef() + " is only " + length + " characters long");
    }

    // 2. Encrypt and decrypt a probe in the backups' format (the seed's openssl round trip).
    boolean roundTrip = passphrase != null && roundTrip(passphrase, settings.iterations(), findings);

    // 3. The previous keys: each must resolve, or the backups made with it are lost.
    for (BackupKeyEntry entry : keyring) {
      if (entry.role().equals("previous") && entry.problem() != null) {
        findings.add("the previous key " + entry.keyRef() + " cannot be used: " + entry.problem());
        toChange.add("make " + entry.keyRef() + " resolve again, or remove it from " + property + "previous-key-refs"
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

  private List<BackupKeyEntry> describe(TargetConfig.BackupSettings settings) {
    List<BackupKeyEntry> entries = new ArrayList<>();
    for (String ref : BackupKeyring.configured(settings)) {
      String role = ref.equals(settings.keyRef()) ? "current" : "previous";
      try {
        String passphrase = secrets.resolve(ref);
        entries.add(
            passphrase == null || passphrase.isEmpty()
                ? new BackupKeyEntry(ref, role, null, "resolves to an empty passphrase")
                : new BackupKeyEntry(ref, role, KeyIds.ofPassphrase(passphrase), null));
      } catch (ApplicationFailure e) {
        if (!SecretResolver.UNRESOLVABLE_SECRET.equals(e.getType())) {
          throw e;
        }
        entries.add(new BackupKeyEntry(ref, role, null, e.getOriginalMessage()));
      }
    }
    return entries;
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
