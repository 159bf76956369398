package io.pgrunbooks.activities.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.storage.TestStores;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetConfig.BackupSettings;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.harness.Processes;
import io.pgrunbooks.workflows.backup.BackupActivities;
import io.pgrunbooks.workflows.backup.BackupFormat;
import io.pgrunbooks.workflows.backup.BackupPlan;
import io.pgrunbooks.workflows.backup.BackupProgress;
import io.pgrunbooks.workflows.backup.BackupRequest;
import io.pgrunbooks.workflows.backup.DatabaseBackup;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup activity against a real PostgreSQL cluster (awkward database names, a large object),
 * a real S3 server (s3proxy) and the real openssl, zstd and pg_restore.
 */
class BackupActivitiesTest {
  static final String AWKWARD = "Link \"Chat\" DB";
  static final String PASSPHRASE = "correct horse battery staple";

  static PostgresCluster cluster;
  static Path keyFile;
  static TestStores stores;

  TestActivityEnvironment env;
  BackupActivities activities;
  final List<BackupProgress> heartbeats = new CopyOnWriteArrayList<>();
  final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void databases() throws Exception {
    cluster = PostgresCluster.start("backup", Map.of());
    cluster.execute("postgres", "create database link_users", "create database " + io.pgrunbooks.activities.postgres.Identifiers.quote(AWKWARD));
    cluster.execute(
        "link_users",
        "create table users (id bigserial primary key, email text not null, created_at timestamptz default now())",
        "insert into users (email) select 'user' || g || '@example.com' from generate_series(1, 5000) g",
        "create schema \"Billing\"",
        "create table \"Billing\".\"Invoices\" (id int primary key, amount numeric)",
        "insert into \"Billing\".\"Invoices\" select g, g * 1.5 from generate_series(1, 321) g");
    cluster.execute(
        AWKWARD,
        "create table messages (id bigserial primary key, body text)",
        "insert into messages (body) select md5(g::text) from generate_series(1, 777) g",
        "select lo_from_bytea(0, convert_to(repeat('large object ', 1000), 'UTF8'))");
    keyFile = Files.createTempFile("backup-key-", "");
    Files.writeString(keyFile, PASSPHRASE);
    stores = new TestStores();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static TargetConfig target(PostgresCluster db, String store) {
    return HostTargets.of(
        db,
        List.of("link_users", AWKWARD),
        new BackupSettings(store, "postgres-backups", "file:" + keyFile, null, 2, null, null, null, null, null, null));
  }

  @BeforeEach
  void activity() {
    TargetRegistry registry =
        new TargetRegistry(
            new TargetsProperties(
                Map.of(
                    "link", target(cluster, TestStores.GOOD),
                    "link-wrong-s3-keys", target(cluster, TestStores.WRONG_KEYS),
                    "link-no-s3", target(cluster, TestStores.NOWHERE))));
    SecretResolver secrets = new SecretResolver(() -> null);
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new BackupActivitiesImpl(
            registry, stores.registry, stores.storage, secrets, new PostgresConnector(secrets),
            new BackupMetrics(new SimpleMeterRegistry())));
    env.setActivityHeartbeatListener(BackupProgress.class, heartbeats::add);
    activities =
        env.newActivityStub(
            BackupActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  @AfterEach
  void close() {
    env.close();
  }

  private BackupPlan plan(String target, BackupFormat format) {
    return activities.planBackup(
        new BackupRequest(target, List.of(), format, 0, null, "test"), "20261122_101500_" + System.nanoTime());
  }

  private byte[] object(String key) throws Exception {
    try (InputStream in = stores.storage.get(TestStores.GOOD, key)) {
      return in.readAllBytes();
    }
  }

  /** openssl enc -d, as the seed's restore does, into a file. */
  private static Path opensslDecrypt(byte[] encrypted, Path dir) throws Exception {
    Path in = dir.resolve("object.enc");
    Path out = dir.resolve("object.dump");
    Files.write(in, encrypted);
    Processes.run(
        List.of("openssl", "enc", "-d", "-aes-256-cbc", "-pbkdf2", "-iter", "100000", "-k", PASSPHRASE,
            "-in", in.toString(), "-out", out.toString()),
        dir, Duration.ofMinutes(1));
    return out;
  }

  private static String pgRestoreList(Path dump) {
    return Processes.run(
        List.of(cluster.binDir().resolve("pg_restore").toString(), "--list", dump.toString()), null, Duration.ofMinutes(1));
  }

  @Test
  void planResolvesTheTargetsDefaultsAndNamesTheKeyByIdNotValue() {
    BackupPlan plan = plan("link", null);
    assertThat(plan.databases()).containsExactly("link_users", AWKWARD);
    assertThat(plan.format()).isEqualTo(BackupFormat.COMPATIBLE);
    assertThat(plan.bucket()).isEqualTo(stores.s3.bucket());
    assertThat(plan.iterations()).isEqualTo(100_000);
    assertThat(plan.keyRef()).startsWith("file:");
    assertThat(plan.keyId()).hasSize(16).doesNotContain(PASSPHRASE);
    assertThat(plan.objectKey("link_users"))
        .matches("postgres-backups/manual/manual-backup-20261122_101500_\\d+-link_users\\.sql\\.enc");
  }

  @Test
  void compatibleBackupIsTheSeedsObjectOpensslAndPgRestoreRead(@TempDir Path dir) throws Exception {
    BackupPlan plan = plan("link", BackupFormat.COMPATIBLE);
    DatabaseBackup result = activities.backupDatabase(plan, "link_users");

    byte[] stored = object(result.objectKey());
    assertThat(result.succeeded()).isTrue();
    assertThat(stored).hasSize((int) result.sizeBytes());
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored))).isEqualTo(result.sha256());
    assertThat(new String(stored, 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("Salted__");
    Path dump = opensslDecrypt(stored, dir);
    assertThat(Files.readAllBytes(dump)).startsWith("PGDMP".getBytes());
    assertThat(Files.size(dump)).isEqualTo(result.dumpBytes());
    assertThat(pgRestoreList(dump)).contains("TABLE public users").contains("TABLE Billing Invoices");

    JsonNode manifest = json.readTree(stores.storage.getText(TestStores.GOOD, result.manifestKey()));
    assertThat(manifest.at("/rowCounts/public.users").asLong()).isEqualTo(5000);
    assertThat(manifest.at("/rowCounts/Billing.Invoices").asLong()).isEqualTo(321);
    assertThat(manifest.get("sha256").asText()).isEqualTo(result.sha256());
    assertThat(manifest.get("keyId").asText()).isEqualTo(plan.keyId());
    assertThat(manifest.get("serverVersion").asText()).startsWith("15");
    assertThat(manifest.get("pgDumpVersion").asText()).contains("pg_dump (PostgreSQL)");
    assertThat(manifest.toString()).doesNotContain(PASSPHRASE).doesNotContain(cluster.password());
    assertThat(result.tables()).isEqualTo(2);
    assertThat(result.rows()).isEqualTo(5321);
    assertThat(heartbeats).isNotEmpty().allMatch(h -> h.database().equals("link_users"));
  }

  @Test
  void fastBackupIsZstdInsideTheSameEncryption(@TempDir Path dir) throws Exception {
    DatabaseBackup result = activities.backupDatabase(plan("link", BackupFormat.FAST), "link_users");
    Path zst = opensslDecrypt(object(result.objectKey()), dir);
    Path dump = dir.resolve("fast.dump");
    Processes.run(List.of("zstd", "-d", "-q", zst.toString(), "-o", dump.toString()), dir, Duration.ofMinutes(1));
    assertThat(Files.readAllBytes(dump)).startsWith("PGDMP".getBytes());
    assertThat(Files.size(dump)).isEqualTo(result.dumpBytes());
    assertThat(pgRestoreList(dump)).contains("TABLE public users");
  }

  @Test
  void awkwardDatabaseNamesAndLargeObjectsAreBackedUp(@TempDir Path dir) throws Exception {
    BackupPlan plan = plan("link", BackupFormat.COMPATIBLE);
    DatabaseBackup result = activities.backupDatabase(plan, AWKWARD);
    assertThat(result.objectKey()).endsWith("-Link \"Chat\" DB.sql.enc");
    String list = pgRestoreList(opensslDecrypt(object(result.objectKey()), dir));
    assertThat(list).contains("TABLE public messages").contains("BLOB");
    assertThat(result.rows()).isEqualTo(777);
  }

  @Test
  void anUnknownDatabaseFailsNonRetryablyAndLeavesNoObject() {
    BackupPlan plan = plan("link", BackupFormat.COMPATIBLE);
    assertThatThrownBy(() -> activities.backupDatabase(plan, "link_nope"))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOf(ApplicationFailure.class)
        .satisfies(
            e -> {
              ApplicationFailure f = (ApplicationFailure) e;
              assertThat(f.getType()).isEqualTo("UnknownDatabase");
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage()).contains("link_nope").contains("does not exist");
            });
    assertThat(stores.storage.head(TestStores.GOOD, plan.objectKey("link_nope"))).isEmpty();
  }

  @Test
  void wrongS3KeysFailNonRetryablyNamingTheStoreButNoSecret() {
    BackupPlan plan = plan("link-wrong-s3-keys", BackupFormat.COMPATIBLE);
    assertThatThrownBy(() -> activities.backupDatabase(plan, "link_users"))
        .cause()
        .satisfies(
            e -> {
              ApplicationFailure f = (ApplicationFailure) e;
              assertThat(f.getType()).isEqualTo("StorageAccessDenied");
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage()).doesNotContain(stores.s3.secretKey());
            });
    assertThat(stores.storage.head(TestStores.GOOD, plan.objectKey("link_users"))).isEmpty();
  }

  @Test
  void anUnreachableStoreIsARetryableFailure() {
    BackupPlan plan = plan("link-no-s3", BackupFormat.COMPATIBLE);
    assertThatThrownBy(() -> activities.backupDatabase(plan, "link_users"))
        .cause()
        .satisfies(e -> assertThat(((ApplicationFailure) e).isNonRetryable()).isFalse());
  }

  @Test
  void aDatabaseThatIsDownIsARetryableFailureAndAWrongPasswordIsNot() throws Exception {
    PostgresCluster other = PostgresCluster.start("backup-down", Map.of());
    try {
      Path wrongPassword = Files.createTempFile("wrong-pw-", "");
      Files.writeString(wrongPassword, "not-the-password");
      TargetConfig down = target(other, TestStores.GOOD);
      TargetConfig wrong =
          new TargetConfig(
              down.hosting(),
              new TargetConfig.Endpoint(cluster.jdbcUrl("postgres"), "postgres", "file:" + wrongPassword),
              List.of(), List.of("link_users"), List.of(), null, down.host(), null, down.backup());
      env.close();
      TargetRegistry registry = new TargetRegistry(new TargetsProperties(Map.of("down", down, "wrong", wrong)));
      SecretResolver secrets = new SecretResolver(() -> null);
      env = TestActivityEnvironment.newInstance();
      env.registerActivitiesImplementations(
          new BackupActivitiesImpl(
              registry, stores.registry, stores.storage, secrets, new PostgresConnector(secrets),
              new BackupMetrics(new SimpleMeterRegistry())));
      activities =
          env.newActivityStub(
              BackupActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      other.stop();

      assertThatThrownBy(() -> activities.backupDatabase(plan("down", null), "link_users"))
          .cause()
          .satisfies(
              e -> {
                ApplicationFailure f = (ApplicationFailure) e;
                assertThat(f.getType()).isEqualTo("DatabaseUnreachable");
                assertThat(f.isNonRetryable()).isFalse();
              });
      assertThatThrownBy(() -> activities.backupDatabase(plan("wrong", null), "link_users"))
          .cause()
          .satisfies(
              e -> {
                ApplicationFailure f = (ApplicationFailure) e;
                assertThat(f.getType()).isEqualTo("DatabaseAccessDenied");
                assertThat(f.isNonRetryable()).isTrue();
                assertThat(f.getOriginalMessage()).contains("password authentication failed").doesNotContain("not-the-password");
              });
    } finally {
      other.close();
    }
  }

  @Test
  void aTargetWithoutBackupSettingsOrAKeyIsRefusedAtPlanning() {
    assertThatThrownBy(() -> activities.planBackup(new BackupRequest("nope", List.of(), null, 0, null, "t"), "x"))
        .cause()
        .hasMessageContaining("unknown target 'nope'");
    assertThatThrownBy(() -> activities.planBackup(new BackupRequest("link", List.of(), null, 0, "env:PGRB_NO_SUCH_KEY", "t"), "x"))
        .cause()
        .hasMessageContaining("env:PGRB_NO_SUCH_KEY")
        .hasMessageContaining("not set");
  }
}
