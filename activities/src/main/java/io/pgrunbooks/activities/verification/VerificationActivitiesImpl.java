package io.pgrunbooks.activities.verification;

import io.pgrunbooks.workflows.common.ObjectKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pgrunbooks.activities.backup.BackupKeyring;
import io.pgrunbooks.activities.crypto.DecryptedStream;
import io.pgrunbooks.activities.crypto.DecryptionException;
import io.pgrunbooks.activities.crypto.EncryptedBackups;
import io.pgrunbooks.activities.crypto.KeyMaterial;
import io.pgrunbooks.activities.crypto.PayloadFormat;
import io.pgrunbooks.activities.crypto.ZstdStreams;
import io.pgrunbooks.activities.postgres.ConnectionTarget;
import io.pgrunbooks.activities.postgres.PgBinaries;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.ToolProcess;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.storage.ObjectStorage;
import io.pgrunbooks.activities.storage.StoredObject;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.backup.BackupObject;
import io.pgrunbooks.workflows.backup.BackupSet;
import io.pgrunbooks.workflows.backup.ObjectVerification;
import io.pgrunbooks.workflows.backup.VerificationActivities;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The verification steps. See {@link VerificationActivities}. */
@Component
public class VerificationActivitiesImpl implements VerificationActivities {
  private final TargetRegistry targets;
  private final ObjectStorage storage;
  private final SecretResolver secrets;
  private final PostgresConnector connector;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public VerificationActivitiesImpl(
      TargetRegistry targets, ObjectStorage storage, SecretResolver secrets, PostgresConnector connector) {
    this.targets = targets;
    this.storage = storage;
    this.secrets = secrets;
    this.connector = connector;
  }

  @Override
  public BackupSet loadBackupSet(String target, String metadataKey) {
    TargetConfig config = targets.get(target);
    if (config.backup() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "target " + target + " has no backup configuration", "InvalidBackupRequest");
    }
    String store = config.backup().store();
    String key = metadataKey == null || metadataKey.isBlank()
        ? config.backup().prefix() + "/latest/metadata.json"
        : ObjectKeys.checked(metadataKey, "metadataKey", "InvalidBackupRequest");
    if (storage.head(store, key).isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "no backup metadata at " + storage.uri(store, key) + " (has a backup of " + target + " completed?)",
          "BackupNotFound");
    }
    try {
      JsonNode metadata = json.readTree(storage.getText(store, key));
      List<BackupObject> objects = new ArrayList<>();
      for (JsonNode o : metadata.path("databases")) {
        objects.add(
            new BackupObject(
                o.get("database").asText(), o.get("objectKey").asText(), o.get("manifestKey").asText(),
                o.get("sizeBytes").asLong(), o.get("sha256").asText()));
      }
      return new BackupSet(
          target, store, key, metadata.get("label").asText(), metadata.get("keyRef").asText(),
          metadata.get("keyId").asText(), objects);
    } catch (IOException | NullPointerException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "backup metadata " + storage.uri(store, key) + " is not what a backup run writes: " + e.getMessage(),
          "BackupMetadataInvalid");
    }
  }

  @Override
  public ObjectVerification verifyObject(BackupSet set, BackupObject object, String scratchDatabase) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    TargetConfig target = targets.get(set.target());
    // The passphrase with the key id the backup recorded: the set's reference (the request's keyRef or
    // the one the run used), else the target's current or previous keys (after a rotation).
    String passphrase = BackupKeyring.find(secrets, set.target(), target, set.keyId(), set.keyRef()).passphrase();
    Map<String, Long> timings = new LinkedHashMap<>();
    long t = System.nanoTime();
    JsonNode manifest = readJson(set.store(), object.manifestKey());
    int iterations = manifest.path("cipher").path("iterations").asInt(100_000);
    Map<String, Long> expectedRows = new LinkedHashMap<>();
    manifest.path("rowCounts").fields().forEachRemaining(e -> expectedRows.put(e.getKey(), e.getValue().asLong()));

    // 1. The object exists with the recorded size.
    Optional<StoredObject> stored = storage.head(set.store(), object.objectKey());
    boolean sizeMatches = stored.isPresent() && stored.get().size() == object.sizeBytes();
    if (!sizeMatches) {
      return evidence(set, object, false, false, 0, 0, List.of(), 0, List.of(), timings,
          stored.isEmpty() ? "object is missing from the store" : "object is " + stored.get().size() + " bytes, " + object.sizeBytes() + " recorded");
    }
    Path bin = PgBinaries.directory(target.backup().binDirectory());
    KeyMaterial key = KeyMaterial.passphrase(passphrase, iterations);

    // 2. Download, checksum, decrypt, pg_restore --list.
    context.heartbeat("checksum and pg_restore --list");
    String sha256;
    int tocEntries;
    try (DigestInputStream raw = new DigestInputStream(storage.get(set.store(), object.objectKey()), sha256());
        ToolProcess list = ToolProcess.start(List.of(bin.resolve("pg_restore").toString(), "--list"), null, true)) {
      StringBuilder toc = new StringBuilder();
      Thread reader = Thread.ofVirtual().start(() -> {
        try {
          toc.append(new String(list.stdout().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException ignored) {
          // counted as no entries
        }
      });
      // Closing the plaintext must not close the download: its digest needs every byte.
      try (InputStream dump = plaintext(new java.io.FilterInputStream(raw) {
            @Override
            public void close() {}
          }, key)) {
        feed(dump, list.stdin(), context);
      } catch (DecryptionException e) {
        return evidence(set, object, true, false, 0, 0, List.of(), 0, List.of(), timings, "cannot decrypt: " + e.getMessage());
      }
      raw.transferTo(OutputStream.nullOutputStream()); // the rest, if pg_restore stopped reading early
      sha256 = HexFormat.of().formatHex(raw.getMessageDigest().digest());
      int exit = list.waitFor();
      reader.join();
      tocEntries = (int) toc.toString().lines().filter(l -> !l.isBlank() && !l.startsWith(";")).count();
      timings.put("downloadChecksumList", (System.nanoTime() - t) / 1_000_000);
      if (!sha256.equals(object.sha256())) {
        return evidence(set, object, true, false, tocEntries, 0, List.of(), 0, List.of(), timings,
            "SHA-256 is " + sha256 + ", " + object.sha256() + " recorded: the object changed since the backup");
      }
      if (exit != 0) {
        return evidence(set, object, true, true, tocEntries, 0, List.of(), 0, List.of(), timings,
            "pg_restore --list failed: " + ToolProcess.lastLines(list.stderr(), 3));
      }
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("reading " + object.objectKey() + " failed: " + e.getMessage(), "BackupIoError");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "Interrupted");
    }

    // 3. Restore into the scratch database, stopping at the first error.
    String user = target.backupUser();
    String password = secrets.resolve(target.backupPasswordRef());
    ConnectionTarget admin = ConnectionTarget.of(target.primary(), databaseOf(target), user);
    ConnectionTarget scratch = ConnectionTarget.of(target.primary(), scratchDatabase, user);
    try (Connection adminConnection = connector.open(admin, password)) {
      ScratchDatabase.create(adminConnection, scratchDatabase);
      try {
        t = System.nanoTime();
        context.heartbeat("restoring into " + scratchDatabase);
        List<String> command =
            List.of(bin.resolve("pg_restore").toString(), "--dbname=" + scratch.conninfo(), "--no-password",
                "--exit-on-error", "--no-owner", "--no-privileges");
        try (InputStream raw = storage.get(set.store(), object.objectKey());
            ToolProcess restore = ToolProcess.start(command, password, true)) {
          try (InputStream dump = plaintext(raw, key)) {
            feed(dump, restore.stdin(), context);
          }
          int exit = restore.waitFor();
          timings.put("restore", (System.nanoTime() - t) / 1_000_000);
          if (exit != 0) {
            return evidence(set, object, true, true, tocEntries, 0, List.of(), 0, List.of(), timings,
                "pg_restore into " + scratchDatabase + " stopped: " + ToolProcess.lastLines(restore.stderr(), 3));
          }
        }
        // 4. Row counts as at backup time; 5. amcheck on every B-tree index.
        try (Connection restored = connector.open(scratch, password)) {
          t = System.nanoTime();
          context.heartbeat("comparing row counts");
          List<String> mismatches = RestoreChecks.rowCountMismatches(restored, expectedRows);
          timings.put("rowCounts", (System.nanoTime() - t) / 1_000_000);
          t = System.nanoTime();
          context.heartbeat("amcheck");
          // amcheck is not a trusted extension: the backup role (often no superuser) cannot create
          // it, so the indexes are checked as the primary endpoint's role, which administers the server.
          RestoreChecks.Amcheck amcheck;
          ConnectionTarget checker = ConnectionTarget.of(target.primary(), scratchDatabase, target.primary().user());
          try (Connection asAdmin = connector.open(checker, secrets.resolve(target.primary().passwordRef()))) {
            amcheck = RestoreChecks.btreeIndexes(asAdmin);
          }
          timings.put("amcheck", (System.nanoTime() - t) / 1_000_000);
          String problem =
              !mismatches.isEmpty() ? mismatches.size() + " table(s) differ from the counts taken at backup time"
                  : !amcheck.failures().isEmpty() ? amcheck.failures().size() + " index(es) fail amcheck" : null;
          return evidence(set, object, true, true, tocEntries, expectedRows.size(), mismatches, amcheck.checked(),
              amcheck.failures(), timings, problem);
        }
      } finally {
        ScratchDatabase.drop(adminConnection, scratchDatabase);
      }
    } catch (SQLException e) {
      throw ApplicationFailure.newFailure(
          "verification of " + object.database() + " could not use the server: " + e.getMessage(), "VerificationSqlError");
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("restore of " + object.objectKey() + " failed: " + e.getMessage(), "BackupIoError");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "Interrupted");
    }
  }

  @Override
  public void dropScratchDatabase(String target, String scratchDatabase) {
    TargetConfig config = targets.get(target);
    String user = config.backupUser();
    String passwordRef = config.backupPasswordRef();
    try (Connection admin = connector.open(ConnectionTarget.of(config.primary(), databaseOf(config), user), secrets.resolve(passwordRef))) {
      ScratchDatabase.drop(admin, scratchDatabase);
    } catch (SQLException e) {
      throw ApplicationFailure.newFailure("cannot drop scratch database " + scratchDatabase + ": " + e.getMessage(), "VerificationSqlError");
    }
  }

  /** Decrypts, and undoes the fast format's zstd layer when the plaintext is zstd. */
  private static InputStream plaintext(InputStream encrypted, KeyMaterial key) throws IOException {
    DecryptedStream decrypted = EncryptedBackups.open(encrypted, key);
    return decrypted.payload() == PayloadFormat.ZSTD ? ZstdStreams.decompress(decrypted) : decrypted;
  }

  /** Streams the dump into a tool's stdin; a tool that stops reading early is not an error here. */
  private static void feed(InputStream dump, OutputStream stdin, ActivityExecutionContext context) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long fed = 0;
    long lastBeat = System.nanoTime();
    try {
      int n;
      while ((n = dump.read(buffer)) >= 0) {
        try {
          stdin.write(buffer, 0, n);
        } catch (IOException brokenPipe) {
          dump.transferTo(OutputStream.nullOutputStream()); // keep decrypting: integrity is checked at the end
          return;
        }
        fed += n;
        if (System.nanoTime() - lastBeat > 2_000_000_000L) {
          context.heartbeat("fed " + fed + " bytes");
          lastBeat = System.nanoTime();
        }
      }
    } finally {
      try {
        stdin.close();
      } catch (IOException brokenPipe) {
        // pg_restore --list stopped reading after the table of contents and exited before the
        // buffered rest was flushed (a small dump); its exit status says whether that was an error
      }
    }
  }

  private ObjectVerification evidence(
      BackupSet set, BackupObject object, boolean sizeMatches, boolean checksumMatches, int tocEntries, int tablesCompared,
      List<String> mismatches, int indexesChecked, List<String> amcheckFailures, Map<String, Long> timings, String problem) {
    String evidenceKey = object.objectKey() + ".verification.json";
    ObjectVerification result =
        new ObjectVerification(
            object.database(), object.objectKey(), problem == null, sizeMatches, checksumMatches, tocEntries, tablesCompared,
            mismatches, indexesChecked, amcheckFailures, timings, evidenceKey, problem);
    try {
      Map<String, Object> stored = new LinkedHashMap<>();
      stored.put("verifiedAt", java.time.Instant.now().toString());
      stored.put("metadataKey", set.metadataKey());
      stored.put("result", result);
      storage.putText(set.store(), evidenceKey, json.writeValueAsString(stored), "application/json");
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("cannot store evidence " + evidenceKey + ": " + e.getMessage(), "BackupIoError");
    }
    return result;
  }

  private JsonNode readJson(String store, String key) {
    try {
      return json.readTree(storage.getText(store, key));
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure("manifest " + key + " is unreadable: " + e.getMessage(), "BackupMetadataInvalid");
    }
  }

  /** The database of the primary's JDBC URL (the maintenance database, e.g. postgres). */
  private static String databaseOf(TargetConfig target) {
    return ConnectionTarget.maintenanceDatabase(target.primary());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
