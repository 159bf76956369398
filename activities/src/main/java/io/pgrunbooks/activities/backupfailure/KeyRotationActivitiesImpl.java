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
import java.util.List;
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

    // 4. The latest backup's key id is one of the configured keys' (what a rotation must keep true).
    String latestKeyId = latestBackupKeyId(settings, findings);
    String latestKeyRef =
        latestKeyId == null
            ? null
            : keyring.stream().filter(e -> latestKeyId.equals(e.keyId())).map(BackupKeyEntry::keyRef).findFirst().orElse(null);
    if (latestKeyId != null && latestKeyRef == null) {
      findings.add("the latest backup was made with key id " + latestKeyId + ", which no configured key has: it cannot be restored");
      toChange.add("add a reference to the passphrase with key id " + latestKeyId + " to " + property + "previous-key-refs");
    }
    if (latestKeyId != null && keyIdOf(current) != null && !latestKeyId.equals(current.keyId()) && latestKeyRef != null) {
      findings.add("the key was rotated since the latest backup (key id " + latestKeyId + ", now " + current.keyId()
          + "); the old key is kept as " + latestKeyRef + ": take a new backup");
    }
    boolean healthy = roundTrip && (latestKeyId == null || latestKeyRef != null)
        && keyring.stream().allMatch(e -> e.problem() == null);
    if (roundTrip && toChange.isEmpty() && !healthy) {
      toChange.add("see the findings");
    }
    return new BackupKeyCheck(
        target, current == null ? null : current.keyRef(), passphrase != null, length, roundTrip, keyIdOf(current), keyring,
        latestKeyId, latestKeyRef, List.copyOf(findings), List.copyOf(toChange), healthy);
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
