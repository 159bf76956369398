package io.pgrunbooks.activities.backupfailure;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgrunbooks.activities.backup.BackupActivitiesImpl;
import io.pgrunbooks.activities.backup.BackupMetrics;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.restore.RestoreActivitiesImpl;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.secrets.SecretWriter;
import io.pgrunbooks.activities.storage.TestStores;
import io.pgrunbooks.activities.targets.TargetConfig.BackupSettings;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.activities.verification.VerificationActivitiesImpl;
import io.pgrunbooks.harness.ActivityStubs;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.workflows.backup.BackupActivities;
import io.pgrunbooks.workflows.backup.BackupFormat;
import io.pgrunbooks.workflows.backup.BackupPlan;
import io.pgrunbooks.workflows.backup.BackupRequest;
import io.pgrunbooks.workflows.backup.BackupSet;
import io.pgrunbooks.workflows.backup.DatabaseBackup;
import io.pgrunbooks.workflows.backup.VerificationActivities;
import io.pgrunbooks.workflows.backupfailure.KeyRotationActivities;
import io.pgrunbooks.workflows.restore.FoundBackup;
import io.pgrunbooks.workflows.restore.RestoreActivities;
import io.pgrunbooks.workflows.restore.RestoreMethod;
import io.pgrunbooks.workflows.restore.RestoreMode;
import io.pgrunbooks.workflows.restore.RestoreNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The backup, verification, restore and key activities of one host target, as a worker configured
 * with given backup settings runs them, called one by one (no workflow): backups made and restored
 * around a key change. Its metrics are its own, so a test's worker sees only its own runs' successes.
 * Closing it drops the copies it restored.
 */
final class BackupSteps implements AutoCloseable {
  final BackupActivities backups;
  final VerificationActivities verification;
  final RestoreActivities restore;
  final KeyRotationActivities keys;
  private final ActivityStubs stubs;
  private final PostgresCluster cluster;
  private final String target;
  private final String database;
  private final List<String> copies = new ArrayList<>();

  /** Steps on target {@code target}: {@code database} of {@code cluster}, backed up to {@code stores} as {@code settings} say. */
  BackupSteps(PostgresCluster cluster, TestStores stores, String target, String database, BackupSettings settings) {
    this.cluster = cluster;
    this.target = target;
    this.database = database;
    TargetRegistry registry = new TargetRegistry(new TargetsProperties(Map.of(target, HostTargets.of(cluster, List.of(database), settings))));
    SecretResolver secrets = new SecretResolver(() -> null);
    PostgresConnector connector = new PostgresConnector(secrets);
    stubs = new ActivityStubs(
        new BackupActivitiesImpl(registry, stores.registry, stores.storage, secrets, connector, new BackupMetrics(new SimpleMeterRegistry())),
        new VerificationActivitiesImpl(registry, stores.storage, secrets, connector),
        new RestoreActivitiesImpl(registry, stores.storage, secrets, connector),
        new KeyRotationActivitiesImpl(registry, stores.storage, secrets, new SecretWriter(() -> null)));
    backups = stubs.stub(BackupActivities.class);
    verification = stubs.stub(VerificationActivities.class);
    restore = stubs.stub(RestoreActivities.class);
    keys = stubs.stub(KeyRotationActivities.class);
  }

  /** A backup run as BackupDatabases does it; returns its set as the verification reads it. */
  BackupSet backUp(String label) {
    BackupPlan plan = backups.planBackup(new BackupRequest(target, List.of(), BackupFormat.COMPATIBLE, 0, null, "test"), label);
    List<DatabaseBackup> results = plan.databases().stream().map(db -> backups.backupDatabase(plan, db)).toList();
    backups.writeRunMetadata(plan, results, "test");
    backups.moveLatestPointers(plan, plan.databases(), true);
    return verification.loadBackupSet(target, plan.metadataKey());
  }

  /** Finds the key of {@code objectKey} by the key id it records (no keyRef given). */
  FoundBackup find(String objectKey) {
    return restore.findBackup(target, database, objectKey, null);
  }

  /** Restores the set's first object into a new copy without a keyRef; returns the copy's name (dropped on close). */
  String restored(BackupSet set, String stamp) {
    FoundBackup found = find(set.objects().get(0).objectKey());
    String copy = RestoreNames.restored(database, stamp);
    copies.add(copy);
    restore.restoreInto(target, found, new RestoreMethod(RestoreMode.STREAMED, 1, "test"), copy);
    return copy;
  }

  @Override
  public void close() {
    stubs.close();
    copies.forEach(db -> cluster.execute("postgres", "drop database if exists \"" + db + "\" with (force)"));
  }
}
