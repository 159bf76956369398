package io.pgrunbooks.activities.verification;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgrunbooks.activities.backup.BackupActivitiesImpl;
import io.pgrunbooks.activities.backup.BackupMetrics;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.storage.TestStores;
import io.pgrunbooks.activities.targets.TargetConfig.BackupSettings;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.workflows.backup.BackupActivities;
import io.pgrunbooks.workflows.backup.BackupFormat;
import io.pgrunbooks.workflows.backup.BackupObject;
import io.pgrunbooks.workflows.backup.BackupPlan;
import io.pgrunbooks.workflows.backup.BackupRequest;
import io.pgrunbooks.workflows.backup.BackupSet;
import io.pgrunbooks.workflows.backup.DatabaseBackup;
import io.pgrunbooks.workflows.backup.ObjectVerification;
import io.pgrunbooks.workflows.backup.VerificationActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Backups made by the backup activity, verified by a real restore into a scratch database. */
class VerificationActivitiesTest {
  static PostgresCluster cluster;
  static TestStores stores;
  static Path keyFile;

  TestActivityEnvironment env;
  BackupActivities backups;
  VerificationActivities verification;

  @BeforeAll
  static void databases() throws Exception {
    cluster = PostgresCluster.start("verify", Map.of());
    cluster.execute("postgres", "create database link_chat", "create database \"Mixed Case\"");
    cluster.execute(
        "link_chat",
        "create table messages (id bigserial primary key, user_id bigint not null, body text, created_at timestamptz default now())",
        "create index messages_user on messages (user_id, created_at)",
        "insert into messages (user_id, body) select g % 97, md5(g::text) from generate_series(1, 20000) g",
        "select lo_from_bytea(0, convert_to(repeat('blob ', 500), 'UTF8'))");
    cluster.execute("Mixed Case", "create table \"Things\" (id int primary key)", "insert into \"Things\" select generate_series(1, 42)");
    keyFile = Files.createTempFile("verify-key-", "");
    Files.writeString(keyFile, "verification passphrase");
    stores = new TestStores();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @BeforeEach
  void activities() {
    TargetRegistry registry =
        new TargetRegistry(
            new TargetsProperties(
                Map.of(
                    "link",
                    HostTargets.of(
                        cluster,
                        List.of("link_chat", "Mixed Case"),
                        new BackupSettings(TestStores.GOOD, "verify-" + System.nanoTime(), "file:" + keyFile, null, 2, null, null, null, null, null, null)))));
    SecretResolver secrets = new SecretResolver(() -> null);
    PostgresConnector connector = new PostgresConnector(secrets);
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new BackupActivitiesImpl(registry, stores.registry, stores.storage, secrets, connector, new BackupMetrics(new SimpleMeterRegistry())),
        new VerificationActivitiesImpl(registry, stores.storage, secrets, connector));
    ActivityOptions options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(2))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();
    backups = env.newActivityStub(BackupActivities.class, options);
    verification = env.newActivityStub(VerificationActivities.class, options);
  }

  @AfterEach
  void close() {
    env.close();
  }

  private BackupSet backUp(BackupFormat format) {
    BackupPlan plan = backups.planBackup(new BackupRequest("link", List.of(), format, 0, null, "test"), "20261122_120000");
    List<DatabaseBackup> results = plan.databases().stream().map(db -> backups.backupDatabase(plan, db)).toList();
    backups.writeRunMetadata(plan, results, "test");
    backups.moveLatestPointers(plan, plan.databases(), true);
    return verification.loadBackupSet("link", null);
  }

  private static boolean databaseExists(String name) throws Exception {
    try (var c = cluster.connect("postgres");
        var st = c.prepareStatement("select 1 from pg_database where datname = ?")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Test
  void aCompatibleBackupRestoresWithTheSameRowCountsAndSoundIndexes() throws Exception {
    BackupSet set = backUp(BackupFormat.COMPATIBLE);
    assertThat(set.objects()).extracting(BackupObject::database).containsExactly("link_chat", "Mixed Case");

    ObjectVerification chat = verification.verifyObject(set, set.objects().get(0), "pgrb_verify_t_1");
    assertThat(chat.problem()).isNull();
    assertThat(chat.passed()).isTrue();
    assertThat(chat.sizeMatches()).isTrue();
    assertThat(chat.checksumMatches()).isTrue();
    assertThat(chat.tocEntries()).isGreaterThan(3);
    assertThat(chat.tablesCompared()).isEqualTo(1);
    assertThat(chat.rowCountMismatches()).isEmpty();
    assertThat(chat.indexesChecked()).isEqualTo(2); // primary key and messages_user
    assertThat(chat.amcheckFailures()).isEmpty();
    assertThat(chat.timingsMillis()).containsKeys("downloadChecksumList", "restore", "rowCounts", "amcheck");
    assertThat(stores.storage.getText(TestStores.GOOD, chat.evidenceKey())).contains("\"passed\" : true");
    assertThat(databaseExists("pgrb_verify_t_1")).isFalse();

    ObjectVerification mixed = verification.verifyObject(set, set.objects().get(1), "pgrb_verify_t_2");
    assertThat(mixed.passed()).as(mixed.problem()).isTrue();
  }

  @Test
  void aFastBackupRestoresToo() {
    BackupSet set = backUp(BackupFormat.FAST);
    ObjectVerification chat = verification.verifyObject(set, set.objects().get(0), "pgrb_verify_t_3");
    assertThat(chat.passed()).as(chat.problem()).isTrue();
  }

  @Test
  void anObjectChangedSinceTheBackupFailsItsChecksumAndIsNotRestored() throws Exception {
    BackupSet set = backUp(BackupFormat.COMPATIBLE);
    BackupObject chat = set.objects().get(0);
    byte[] bytes = stores.storage.get(TestStores.GOOD, chat.objectKey()).readAllBytes();
    bytes[bytes.length / 2] ^= 0x01;
    stores.storage.put(TestStores.GOOD, chat.objectKey(), bytes, "application/octet-stream");

    ObjectVerification result = verification.verifyObject(set, chat, "pgrb_verify_t_4");
    assertThat(result.passed()).isFalse();
    assertThat(result.sizeMatches()).isTrue();
    assertThat(result.checksumMatches()).isFalse();
    assertThat(result.problem()).contains("SHA-256");
    assertThat(databaseExists("pgrb_verify_t_4")).isFalse();
  }

  @Test
  void rowCountsThatDifferFromTheBackupTimeCountsAreReported() throws Exception {
    BackupSet set = backUp(BackupFormat.COMPATIBLE);
    BackupObject chat = set.objects().get(0);
    String manifest = stores.storage.getText(TestStores.GOOD, chat.manifestKey());
    stores.storage.putText(TestStores.GOOD, chat.manifestKey(), manifest.replace("\"public.messages\" : 20000", "\"public.messages\" : 20001"), "application/json");

    ObjectVerification result = verification.verifyObject(set, chat, "pgrb_verify_t_5");
    assertThat(result.passed()).isFalse();
    assertThat(result.rowCountMismatches()).containsExactly("public.messages: expected 20001, restored 20000");
  }
}
