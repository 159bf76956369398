package io.pgrunbooks.activities.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pgrunbooks.activities.crypto.EncryptedBackups;
import io.pgrunbooks.activities.crypto.KeyIds;
import io.pgrunbooks.activities.postgres.ConnectionTarget;
import io.pgrunbooks.activities.postgres.PgBinaries;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.storage.ObjectStorage;
import io.pgrunbooks.activities.storage.StoreConfig;
import io.pgrunbooks.activities.storage.StoreRegistry;
import io.pgrunbooks.activities.storage.StoredObject;
import io.pgrunbooks.activities.storage.UploadResult;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.BackupSettings;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.backup.BackupActivities;
import io.pgrunbooks.workflows.backup.BackupFormat;
import io.pgrunbooks.workflows.backup.BackupPlan;
import io.pgrunbooks.workflows.backup.BackupRequest;
import io.pgrunbooks.workflows.backup.BackupStatus;
import io.pgrunbooks.workflows.backup.DatabaseBackup;
import io.pgrunbooks.workflows.backup.MetadataWritten;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.springframework.stereotype.Component;

/** The backup runbook's steps. See {@link BackupActivities} for what each promises. */
@Component
public class BackupActivitiesImpl implements BackupActivities {
  private static final int MAX_PARALLELISM = 16;

  private final TargetRegistry targets;
  private final StoreRegistry stores;
  private final ObjectStorage storage;
  private final SecretResolver secrets;
  private final PostgresConnector connector;
  private final BackupMetrics metrics;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public BackupActivitiesImpl(
      TargetRegistry targets,
      StoreRegistry stores,
      ObjectStorage storage,
      SecretResolver secrets,
      PostgresConnector connector,
      BackupMetrics metrics) {
    this.targets = targets;
    this.stores = stores;
    this.storage = storage;
    this.secrets = secrets;
    this.connector = connector;
    this.metrics = metrics;
  }

  @Override
  public BackupPlan planBackup(BackupRequest request, String label) {
    TargetConfig target = targets.get(request.target());
    BackupSettings settings = settings(target, request.target());
    StoreConfig store = stores.get(settings.store());
    List<String> databases =
        request.databases() == null || request.databases().isEmpty() ? target.databases() : request.databases();
    if (databases.isEmpty()) {
      throw BackupFailures.badRequest(
          "no databases to back up: name them in the request or in pgrunbooks.targets." + request.target() + ".databases");
    }
    for (String db : databases) {
      if (db == null || db.isBlank() || db.chars().anyMatch(ch -> ch < 0x20) || db.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 63) {
        throw BackupFailures.badRequest("not a valid database name: '" + db + "'");
      }
    }
    String keyRef = request.keyRef() == null || request.keyRef().isBlank() ? settings.keyRef() : request.keyRef();
    if (keyRef == null || keyRef.isBlank()) {
      throw BackupFailures.badRequest(
          "no encryption key: give keyRef in the request or pgrunbooks.targets." + request.target() + ".backup.key-ref");
    }
    String passphrase;
    try {
      passphrase = secrets.resolve(keyRef);
    } catch (ApplicationFailure e) {
      if (!SecretResolver.UNRESOLVABLE_SECRET.equals(e.getType())) {
        throw e;
      }
      // Named as the encryption key, so that the backup-failure runbook classes it as encryption, not authentication.
      throw ApplicationFailure.newNonRetryableFailure("encryption key: " + e.getOriginalMessage(), SecretResolver.UNRESOLVABLE_SECRET);
    }
    if (passphrase == null || passphrase.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "encryption key reference '" + keyRef + "' resolves to an empty passphrase", SecretResolver.UNRESOLVABLE_SECRET);
    }
    int parallelism =
        request.parallelism() > 0 ? Math.min(request.parallelism(), MAX_PARALLELISM) : settings.parallelism();
    return new BackupPlan(
        request.target(),
        settings.store(),
        store.bucket(),
        settings.prefix(),
        List.copyOf(new LinkedHashSet<>(databases)),
        request.format() == null ? settings.format() : request.format(),
        parallelism,
        keyRef,
        KeyIds.ofPassphrase(passphrase),
        settings.iterations(),
        label);
  }

  @Override
  public DatabaseBackup backupDatabase(BackupPlan plan, String database) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    TargetConfig target = targets.get(plan.target());
    BackupSettings settings = settings(target, plan.target());
    String passphrase = secrets.resolve(plan.keyRef());
    if (passphrase == null || !KeyIds.ofPassphrase(passphrase).equals(plan.keyId())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the key behind '" + plan.keyRef() + "' changed since the run was planned (key id " + plan.keyId()
              + "); start a new run", "KeyChanged");
    }
    String user = target.backupUser();
    String password = secrets.resolve(target.backupPasswordRef());
    ConnectionTarget where = ConnectionTarget.of(target.primary(), database, user);
    Path bin = binDirectory(settings);
    String key = plan.objectKey(database);

    // A previous attempt on a worker that died left its multipart upload open: abort it first.
    storage.abortIncompleteUploads(plan.store(), key);

    Instant started = Instant.now();
    DumpProgress progress = new DumpProgress(database, context);
    try (Connection connection = connector.open(where, password);
        DumpSnapshot snapshot = DumpSnapshot.export(connection)) {
      String serverVersion = snapshot.serverVersion();
      progress.phase("dumping");
      UploadResult upload;
      DumpSnapshot.Facts facts;
      String sha256;
      try (PgDump dump = PgDump.start(bin, where, password, plan.format(), snapshot.id())) {
        // Counting in the exported snapshot runs beside the dump: same data, no extra wall time.
        CompletableFuture<DumpSnapshot.Facts> counting =
            countInBackground(snapshot, target.restore().checkTables(), target.restore().createdAtColumn());
        Sha256OutputStream[] digest = new Sha256OutputStream[1];
        upload =
            storage.upload(
                plan.store(),
                key,
                settings.storageClass(),
                progress::uploaded,
                out -> {
                  digest[0] = new Sha256OutputStream(out);
                  try (var encrypted =
                      plan.format() == BackupFormat.FAST
                          ? EncryptedBackups.encryptFast(digest[0], passphrase, plan.iterations())
                          : EncryptedBackups.encrypt(digest[0], passphrase, plan.iterations())) {
                    progress.copy(dump.stdout(), encrypted);
                  }
                  try {
                    dump.awaitSuccess(plan.target(), database);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for pg_dump", e);
                  }
                });
        sha256 = digest[0].hex();
        facts = join(counting);
      }
      long durationMillis = java.time.Duration.between(started, Instant.now()).toMillis();
      BackupManifest manifest =
          new BackupManifest(
              plan.target(), database, key, plan.format(), BackupManifest.Cipher.openssl(plan.iterations()),
              plan.keyRef(), plan.keyId(), upload.bytes(), sha256, progress.dumpedBytes(), serverVersion,
              pgDumpVersion(bin), snapshot.id(), facts.rows(), facts.newest(), started.toString(), Instant.now().toString(),
              context.getInfo().getAttempt());
      String manifestKey = key + ".manifest.json";
      storage.putText(plan.store(), manifestKey, json.writeValueAsString(manifest), "application/json");
      return new DatabaseBackup(
          database, BackupStatus.SUCCEEDED, key, manifestKey, upload.bytes(), sha256, progress.dumpedBytes(),
          facts.rows().size(), facts.rows().values().stream().mapToLong(Long::longValue).sum(), durationMillis,
          context.getInfo().getAttempt(), null, null);
    } catch (SQLException e) {
      throw BackupFailures.of(e, plan.target(), database);
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(
          "backup of database '" + database + "' on target " + plan.target() + " failed: " + e.getMessage(),
          "BackupIoError");
    }
  }

  @Override
  public void recordBackupOutcome(String target, String database, boolean succeeded, String errorType) {
    if (succeeded) {
      metrics.succeeded(target, database);
    } else {
      metrics.failed(target, database, errorType);
    }
  }

  @Override
  public MetadataWritten writeRunMetadata(BackupPlan plan, List<DatabaseBackup> results, String requestedBy) {
    List<Map<String, Object>> objects = new ArrayList<>();
    List<Map<String, Object>> failed = new ArrayList<>();
    List<String> verified = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (DatabaseBackup r : results) {
      if (!r.succeeded()) {
        failed.add(Map.of("database", r.database(), "errorType", String.valueOf(r.errorType()), "error", String.valueOf(r.error())));
        continue;
      }
      Optional<StoredObject> stored = storage.head(plan.store(), r.objectKey());
      if (stored.isEmpty() || stored.get().size() != r.sizeBytes()) {
        missing.add(r.database());
        continue;
      }
      BackupManifest manifest = readManifest(plan.store(), r.manifestKey());
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("database", r.database());
      o.put("objectKey", r.objectKey());
      o.put("manifestKey", r.manifestKey());
      o.put("sizeBytes", r.sizeBytes());
      o.put("sha256", r.sha256());
      o.put("dumpBytes", r.dumpBytes());
      o.put("tables", r.tables());
      o.put("rows", r.rows());
      o.put("durationMillis", r.durationMillis());
      o.put("serverVersion", manifest.serverVersion());
      o.put("pgDumpVersion", manifest.pgDumpVersion());
      o.put("startedAt", manifest.startedAt());
      o.put("finishedAt", manifest.finishedAt());
      objects.add(o);
      verified.add(r.database());
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("runbook", "BackupDatabases");
    metadata.put("target", plan.target());
    metadata.put("label", plan.label());
    metadata.put("requestedBy", requestedBy);
    metadata.put("store", storage.uri(plan.store(), plan.prefix()));
    metadata.put("format", plan.format());
    metadata.put("cipher", BackupManifest.Cipher.openssl(plan.iterations()));
    metadata.put("keyRef", plan.keyRef());
    metadata.put("keyId", plan.keyId());
    metadata.put("writtenAt", Instant.now().toString());
    metadata.put("databases", objects);
    metadata.put("failed", failed);
    metadata.put("missing", missing);
    try {
      storage.putText(plan.store(), plan.metadataKey(), json.writeValueAsString(metadata), "application/json");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    return new MetadataWritten(plan.metadataKey(), verified, missing);
  }

  @Override
  public void moveLatestPointers(BackupPlan plan, List<String> verifiedDatabases, boolean wholeRun) {
    for (String db : verifiedDatabases) {
      Map<String, Object> pointer = new LinkedHashMap<>();
      pointer.put("database", db);
      pointer.put("objectKey", plan.objectKey(db));
      pointer.put("manifestKey", plan.objectKey(db) + ".manifest.json");
      pointer.put("metadataKey", plan.metadataKey());
      pointer.put("label", plan.label());
      pointer.put("movedAt", Instant.now().toString());
      try {
        storage.putText(plan.store(), plan.prefix() + "/latest/" + db + ".json", json.writeValueAsString(pointer), "application/json");
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (wholeRun) {
      // The seed's verification reads postgres-backups/latest/metadata.json.
      storage.copy(plan.store(), plan.metadataKey(), plan.prefix() + "/latest/metadata.json");
    }
  }

  private BackupManifest readManifest(String store, String key) {
    try {
      return json.readValue(storage.getText(store, key), BackupManifest.class);
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("manifest " + key + " is unreadable: " + e.getMessage(), "BackupIoError");
    }
  }

  private static BackupSettings settings(TargetConfig target, String name) {
    if (target.backup() == null || target.backup().store() == null) {
      throw BackupFailures.badRequest(
          "target " + name + " has no backup configuration (pgrunbooks.targets." + name + ".backup.store)");
    }
    return target.backup();
  }

  private static Path binDirectory(BackupSettings settings) {
    try {
      return PgBinaries.directory(settings.binDirectory());
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "PgDumpMissing");
    }
  }

  private static String pgDumpVersion(Path bin) {
    try {
      Process p = new ProcessBuilder(bin.resolve("pg_dump").toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
      p.waitFor();
      return out;
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static CompletableFuture<DumpSnapshot.Facts> countInBackground(
      DumpSnapshot snapshot, List<String> newestOf, String column) {
    CompletableFuture<DumpSnapshot.Facts> result = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("snapshot-row-counts")
        .start(
            () -> {
              try {
                result.complete(snapshot.facts(newestOf, column));
              } catch (Throwable t) {
                result.completeExceptionally(t);
              }
            });
    return result;
  }

  private static DumpSnapshot.Facts join(CompletableFuture<DumpSnapshot.Facts> counting) throws SQLException {
    try {
      return counting.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
