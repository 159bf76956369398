package io.pgrunbooks.activities.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgrunbooks.activities.backup.BackupKeyring;
import io.pgrunbooks.activities.crypto.KeyMaterial;
import io.pgrunbooks.activities.postgres.ConnectionTarget;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.SqlFailures;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.storage.ObjectStorage;
import io.pgrunbooks.activities.storage.StoredObject;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.workflows.restore.FoundBackup;
import io.pgrunbooks.workflows.restore.LeftoverDatabase;
import io.pgrunbooks.workflows.restore.RestoreActivities;
import io.pgrunbooks.workflows.restore.RestoreMethod;
import io.pgrunbooks.workflows.restore.RestoreMode;
import io.pgrunbooks.workflows.restore.RestoreNames;
import io.pgrunbooks.workflows.restore.RestoredDataCheck;
import io.pgrunbooks.workflows.restore.RestoredDatabase;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import io.pgrunbooks.workflows.common.ObjectKeys;
import org.springframework.stereotype.Component;

/** The restore steps. See {@link RestoreActivities}. */
@Component
public class RestoreActivitiesImpl implements RestoreActivities {
  /** Names that reach SQL and file names: what the restore names can be built from. */
  private static final Pattern DATABASE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final TargetRegistry targets;
  private final ObjectStorage storage;
  private final SecretResolver secrets;
  private final PostgresConnector connector;
  private final BackupLocator locator;
  private final RestoreRunner runner;
  private final ObjectMapper json = new ObjectMapper();

  public RestoreActivitiesImpl(
      TargetRegistry targets, ObjectStorage storage, SecretResolver secrets, PostgresConnector connector) {
    this.targets = targets;
    this.storage = storage;
    this.secrets = secrets;
    this.connector = connector;
    this.locator = new BackupLocator(storage);
    this.runner = new RestoreRunner(storage);
  }

  @Override
  public FoundBackup findBackup(String target, String database, String objectKey, String keyRef) {
    TargetConfig config = targets.get(target);
    checkDatabase(config, target, database);
    if (config.backup() == null) {
      throw ApplicationFailure.newNonRetryableFailure("target " + target + " has no backup configuration", "InvalidRestoreRequest");
    }
    String store = config.backup().store();
    StoredObject object =
        objectKey == null || objectKey.isBlank()
            ? locator.newest(store, config.backup().prefix(), database)
            : locator.named(store, ObjectKeys.checked(objectKey, "objectKey", "InvalidRestoreRequest"));
    JsonNode manifest = manifestOf(store, object.key());
    if (manifest != null && !database.equals(manifest.path("database").asText(database))) {
      throw ApplicationFailure.newNonRetryableFailure(
          object.key() + " is a backup of " + manifest.path("database").asText() + ", not of " + database, "InvalidRestoreRequest");
    }
    int iterations = manifest == null ? config.backup().iterations() : manifest.path("cipher").path("iterations").asInt(config.backup().iterations());
    // A backup of this service records its key id: the key is the configured one with that id (after a
    // rotation, a previous key). A backup from elsewhere records none: the request's key, else each
    // configured key in turn (current, then previous, each with its archives) until one opens it.
    String keyId = manifest == null ? null : manifest.path("keyId").asText(null);
    List<String> refs;
    if (keyId != null) {
      refs = List.of(BackupKeyring.find(secrets, target, config, keyId, keyRef, manifest.path("keyRef").asText(null)).keyRef());
    } else if ((keyRef != null && !keyRef.isBlank()) || BackupKeyring.configured(config.backup()).isEmpty()) {
      refs = List.of(RestoreKeys.reference(config, keyRef));
    } else {
      refs = BackupKeyring.withArchives(secrets, config.backup());
    }
    byte[] head = storage.getFirst(store, object.key(), BackupKind.PROBE_BYTES);
    List<String> tried = new ArrayList<>();
    for (String ref : refs) {
      BackupKind kind;
      try {
        kind = BackupKind.probe(head, RestoreKeys.resolve(secrets, config, ref, iterations), object.key(), ref);
      } catch (ApplicationFailure e) {
        boolean next = "WrongKey".equals(e.getType()) || SecretResolver.UNRESOLVABLE_SECRET.equals(e.getType());
        if (refs.size() == 1 || !next) {
          throw e;
        }
        tried.add(ref + ("WrongKey".equals(e.getType()) ? " (does not open it)" : " (does not resolve)"));
        continue;
      }
      return new FoundBackup(
          store, object.key(), database, object.size(), object.lastModified().toString(), kind.container(), kind.payload(),
          kind.description(), ref, manifest == null ? null : object.key() + ".manifest.json",
          manifest == null ? null : manifest.path("sha256").asText(null), manifest == null ? 0 : manifest.path("dumpBytes").asLong(0),
          longs(manifest, "rowCounts"), texts(manifest, "newestCreatedAt"));
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "no configured key opens " + object.key() + " (it records no key id); tried " + String.join(", ", tried)
            + ": give the keyRef that does, or add it to pgrunbooks.targets." + target + ".backup.previous-key-refs",
        "WrongKey");
  }

  @Override
  public RestoreMethod chooseMethod(String target, FoundBackup backup, RestoreMode requested) {
    TargetConfig.RestoreSettings settings = targets.get(target).restore();
    if (!backup.restoredByPgRestore()) {
      return new RestoreMethod(RestoreMode.STREAMED, 1, "plain SQL script: streamed into psql (psql has no parallel mode)");
    }
    long estimate = backup.dumpBytes() > 0 ? backup.dumpBytes() : backup.sizeBytes();
    long need = estimate + estimate / 10 + (64L << 20);
    Path staging = Path.of(settings.stagingDirectory());
    long free;
    try {
      Files.createDirectories(staging);
      free = Files.getFileStore(staging).getUsableSpace();
    } catch (IOException e) {
      free = 0;
    }
    String sizes = mb(estimate) + " dump, " + mb(free) + " free in " + staging;
    boolean roomy = free >= need && settings.jobs() > 1;
    return switch (requested) {
      case STREAMED -> new RestoreMethod(RestoreMode.STREAMED, 1, "streamed as requested (" + sizes + ")");
      case STAGED -> roomy
          ? new RestoreMethod(RestoreMode.STAGED, settings.jobs(), "staged as requested, pg_restore -j " + settings.jobs() + " (" + sizes + ")")
          : new RestoreMethod(RestoreMode.STREAMED, 1, "staged was requested but needs " + mb(need) + " free and 2+ jobs (" + sizes + "): streamed");
      case AUTO -> roomy && estimate >= settings.stagedMinBytes()
          ? new RestoreMethod(RestoreMode.STAGED, settings.jobs(), "staged, pg_restore -j " + settings.jobs() + " (" + sizes + ")")
          : new RestoreMethod(RestoreMode.STREAMED, 1, "streamed (" + sizes + "; staging pays from " + mb(settings.stagedMinBytes()) + " with room to spare)");
    };
  }

  @Override
  public RestoredDatabase restoreInto(String target, FoundBackup backup, RestoreMethod method, String newDatabase) {
    TargetConfig config = targets.get(target);
    checkCopyName(newDatabase);
    String password = secrets.resolve(config.backupPasswordRef());
    KeyMaterial key = RestoreKeys.resolve(secrets, config, backup.keyRef(), iterations(backup, config));
    long started = System.nanoTime();
    try (Connection admin = connector.open(admin(config), password)) {
      RestoreDatabases.createCopy(admin, backup.database(), newDatabase);
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
    ConnectionTarget copy = ConnectionTarget.of(config.primary(), newDatabase, config.backupUser());
    long read = runner.run(config, backup, method, key, copy, password);
    return new RestoredDatabase(newDatabase, method, read, (System.nanoTime() - started) / 1_000_000);
  }

  @Override
  public RestoredDataCheck verifyRestored(String target, String restoredDatabase, FoundBackup backup) {
    TargetConfig config = targets.get(target);
    checkCopyName(restoredDatabase);
    ConnectionTarget copy = ConnectionTarget.of(config.primary(), restoredDatabase, config.backupUser());
    try (Connection restored = connector.open(copy, secrets.resolve(config.backupPasswordRef()))) {
      return RestoredDataChecks.check(restored, backup, config.restore().checkTables(), config.restore().createdAtColumn());
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  @Override
  public String swapDatabases(String target, String database, String restoredDatabase, String preRestore) {
    TargetConfig config = targets.get(target);
    checkDatabase(config, target, database);
    checkCopyName(restoredDatabase);
    return onAdmin(config, target, admin -> RestoreDatabases.swap(admin, database, restoredDatabase, preRestore));
  }

  @Override
  public void dropRestoredDatabase(String target, String restoredDatabase) {
    TargetConfig config = targets.get(target);
    checkCopyName(restoredDatabase);
    onAdmin(config, target, admin -> {
      RestoreDatabases.drop(admin, restoredDatabase);
      return null;
    });
  }

  @Override
  public LeftoverDatabase describeLeftover(String target, String database) {
    TargetConfig config = targets.get(target);
    checkLeftoverName(database);
    return onAdmin(config, target, admin -> {
      LeftoverDatabase found = RestoreDatabases.describe(admin, database);
      if (found == null) {
        throw ApplicationFailure.newNonRetryableFailure("there is no database " + database + " on target " + target, "InvalidRestoreRequest");
      }
      return found;
    });
  }

  @Override
  public void dropLeftover(String target, String database) {
    TargetConfig config = targets.get(target);
    checkLeftoverName(database);
    onAdmin(config, target, admin -> {
      RestoreDatabases.drop(admin, database);
      return null;
    });
  }

  private static void checkLeftoverName(String name) {
    if (!RestoreNames.isLeftover(name)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "'" + name + "' is not a database a restore leaves behind (<db>_pre_restore_<ts> or <db>_restore_<ts>): only those"
              + " are dropped here", "InvalidRestoreRequest");
    }
  }

  private interface AdminWork<T> {
    T on(Connection admin) throws SQLException;
  }

  /** Runs on the maintenance database as the restore role; SQL failures become the usual activity failures. */
  private <T> T onAdmin(TargetConfig config, String target, AdminWork<T> work) {
    try (Connection admin = connector.open(admin(config), secrets.resolve(config.backupPasswordRef()))) {
      return work.on(admin);
    } catch (SQLException e) {
      throw SqlFailures.of(e, target);
    }
  }

  private static ConnectionTarget admin(TargetConfig config) {
    return ConnectionTarget.of(config.primary(), ConnectionTarget.maintenanceDatabase(config.primary()), config.backupUser());
  }

  private static void checkDatabase(TargetConfig config, String target, String database) {
    if (database == null || !DATABASE.matcher(database).matches()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "'" + database + "' is not a database name a restore accepts (lower-case letters, digits, _; at most 63)",
          "InvalidRestoreRequest");
    }
    if (!config.databases().isEmpty() && !config.databases().contains(database)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "database " + database + " is not one of target " + target + "'s databases " + config.databases(), "InvalidRestoreRequest");
    }
  }

  private static void checkCopyName(String name) {
    if (!RestoreNames.isRestoredCopy(name)) {
      throw ApplicationFailure.newNonRetryableFailure("'" + name + "' is not a restored copy's name", "InvalidRestoreRequest");
    }
  }

  private int iterations(FoundBackup backup, TargetConfig config) {
    JsonNode manifest = backup.manifestKey() == null ? null : manifestOf(backup.store(), backup.objectKey());
    return manifest == null ? config.backup().iterations() : manifest.path("cipher").path("iterations").asInt(config.backup().iterations());
  }

  private JsonNode manifestOf(String store, String objectKey) {
    String key = objectKey + ".manifest.json";
    if (storage.head(store, key).isEmpty()) {
      return null;
    }
    try {
      return json.readTree(storage.getText(store, key));
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure("manifest " + key + " is unreadable: " + e.getMessage(), "BackupMetadataInvalid");
    }
  }

  private static Map<String, Long> longs(JsonNode manifest, String field) {
    Map<String, Long> values = new LinkedHashMap<>();
    if (manifest != null) {
      manifest.path(field).fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asLong()));
    }
    return values;
  }

  private static Map<String, String> texts(JsonNode manifest, String field) {
    Map<String, String> values = new LinkedHashMap<>();
    if (manifest != null) {
      manifest.path(field).fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
    }
    return values;
  }

  private static String mb(long bytes) {
    return bytes >= 1L << 30 ? String.format("%.1f GiB", bytes / (double) (1L << 30)) : (bytes >> 20) + " MiB";
  }
}
