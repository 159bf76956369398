package io.pgrunbooks.activities.backup;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.pgrunbooks.workflows.backup.BackupDatabaseWorkflowImpl;
import io.pgrunbooks.workflows.backup.BackupDatabasesWorkflow;
import io.pgrunbooks.workflows.backup.BackupDatabasesWorkflowImpl;
import io.pgrunbooks.workflows.backup.BackupRequest;
import io.pgrunbooks.workflows.backup.BackupRunResult;
import io.pgrunbooks.workflows.backup.DatabaseBackup;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole BackupDatabases runs (workflow code in temporal-testing, real activities, real PostgreSQL and
 * s3proxy) against each way the seed says a backup fails: each database gets its own clear error in
 * the result and in the metrics, and metadata.json lists only complete objects. Retry back-offs are
 * skipped by the test server's clock, so retryable failures exhaust their attempts quickly.
 */
class BackupRunFailuresTest {
  static PostgresCluster cluster;
  static PostgresCluster stopped;
  static TestStores stores;
  static Path keyFile;
  static Path wrongPassword;

  TestWorkflowEnvironment env;
  SimpleMeterRegistry meters;
  final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void servers() throws Exception {
    cluster = PostgresCluster.start("backup-failures", Map.of());
    cluster.execute("postgres", "create database link_users", "create database link_chat");
    cluster.execute("link_users", "create table users (id int primary key)", "insert into users select generate_series(1, 10)");
    stopped = PostgresCluster.start("backup-failures-down", Map.of());
    stopped.stop();
    keyFile = Files.createTempFile("failures-key-", "");
    Files.writeString(keyFile, "failures passphrase");
    wrongPassword = Files.createTempFile("failures-wrong-pw-", "");
    Files.writeString(wrongPassword, "not-the-password");
    stores = new TestStores();
  }

  @AfterAll
  static void stop() {
    cluster.close();
    stopped.close();
  }

  private static BackupSettings backup(String store) {
    return new BackupSettings(store, "failures-" + store, "file:" + keyFile, null, 2, null, null, null, null, null, null);
  }

  @BeforeEach
  void worker() {
    TargetConfig good = HostTargets.of(cluster, List.of("link_users", "link_chat"), backup(TestStores.GOOD));
    TargetConfig wrongPw =
        new TargetConfig(
            good.hosting(), new TargetConfig.Endpoint(cluster.jdbcUrl("postgres"), "postgres", "file:" + wrongPassword),
            List.of(), List.of("link_users"), List.of(), null, good.host(), null, backup(TestStores.GOOD));
    TargetRegistry registry =
        new TargetRegistry(
            new TargetsProperties(
                Map.of(
                    "good", good,
                    "wrong-s3-keys", HostTargets.of(cluster, List.of("link_users"), backup(TestStores.WRONG_KEYS)),
                    "no-s3", HostTargets.of(cluster, List.of("link_users"), backup(TestStores.NOWHERE)),
                    "db-down", HostTargets.of(stopped, List.of("link_users"), backup(TestStores.GOOD)),
                    "wrong-password", wrongPw)));
    SecretResolver secrets = new SecretResolver(() -> null);
    meters = new SimpleMeterRegistry();
    env = TestWorkflowEnvironment.newInstance();
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    Worker worker = env.newWorker("backup-failures");
    worker.registerWorkflowImplementationTypes(BackupDatabasesWorkflowImpl.class, BackupDatabaseWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new BackupActivitiesImpl(registry, stores.registry, stores.storage, secrets, new PostgresConnector(secrets), new BackupMetrics(meters)));
    env.start();
  }

  @AfterEach
  void close() {
    env.close();
  }

  private BackupRunResult run(String target, List<String> databases) {
    return env.getWorkflowClient()
        .newWorkflowStub(BackupDatabasesWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue("backup-failures").build())
        .backup(new BackupRequest(target, databases, null, 0, null, "test"));
  }

  private double errors(String target, String database, String type) {
    var counter = meters.find(BackupMetrics.ERRORS).tags("target", target, "database", database, "error", type).counter();
    return counter == null ? 0 : counter.count();
  }

  private void assertFailedAlone(BackupRunResult result, String target, String type, String messagePart) throws Exception {
    DatabaseBackup db = result.databases().get(0);
    assertThat(db.succeeded()).isFalse();
    assertThat(db.errorType()).isEqualTo(type);
    assertThat(db.error()).contains(messagePart);
    assertThat(errors(target, "link_users", type)).isEqualTo(1);
    assertThat(result.latestMoved()).isFalse();
    JsonNode metadata = json.readTree(stores.storage.getText(TestStores.GOOD, result.metadataKey()));
    assertThat(metadata.get("databases")).isEmpty();
    assertThat(metadata.at("/failed/0/errorType").asText()).isEqualTo(type);
  }

  @Test
  void anUnknownDatabaseFailsAloneAndTheOthersAreListed() throws Exception {
    BackupRunResult result = run("good", List.of("link_users", "link_nope"));
    assertThat(result.databases().get(0).succeeded()).isTrue();
    assertThat(result.databases().get(1).errorType()).isEqualTo("UnknownDatabase");
    assertThat(errors("good", "link_nope", "UnknownDatabase")).isEqualTo(1);
    JsonNode metadata = json.readTree(stores.storage.getText(TestStores.GOOD, result.metadataKey()));
    assertThat(metadata.get("databases")).hasSize(1);
    assertThat(metadata.at("/databases/0/database").asText()).isEqualTo("link_users");
    assertThat(meters.find(BackupMetrics.LAST_SUCCESS).tags("target", "good", "database", "link_users").gauge().value()).isPositive();
  }

  @Test
  void aRestartedWorkerSeedsTheLastSuccessGaugeFromTheLatestPointers() {
    assertThat(run("good", List.of("link_users")).databases().get(0).succeeded()).isTrue();
    SimpleMeterRegistry fresh = new SimpleMeterRegistry();
    TargetsProperties targets =
        new TargetsProperties(Map.of("good", HostTargets.of(cluster, List.of("link_users", "link_chat"), backup(TestStores.GOOD))));
    int seeded = new BackupMetricsRestorer(targets, stores.storage, new BackupMetrics(fresh)).restore();
    assertThat(seeded).isEqualTo(1);
    assertThat(fresh.find(BackupMetrics.LAST_SUCCESS).tags("target", "good", "database", "link_users").gauge().value())
        .isCloseTo(java.time.Instant.now().getEpochSecond(), org.assertj.core.api.Assertions.within(120.0));
  }

  @Test
  void wrongS3CredentialsFailEachDatabaseWithAccessDenied() throws Exception {
    BackupRunResult result = run("wrong-s3-keys", List.of());
    DatabaseBackup db = result.databases().get(0);
    assertThat(db.errorType()).isEqualTo("StorageAccessDenied");
    assertThat(db.attempts()).isEqualTo(1);
    assertThat(errors("wrong-s3-keys", "link_users", "StorageAccessDenied")).isEqualTo(1);
    assertThat(result.metadataKey()).isNull();
    assertThat(result.problem()).startsWith("metadata.json not written: ");
    assertThat(result.latestMoved()).isFalse();
  }

  @Test
  void anUnreachableStoreFailsAfterItsRetries() throws Exception {
    BackupRunResult result = run("no-s3", List.of());
    DatabaseBackup db = result.databases().get(0);
    assertThat(db.succeeded()).isFalse();
    assertThat(db.error()).contains("cannot reach");
    assertThat(db.attempts()).isEqualTo(5);
    assertThat(errors("no-s3", "link_users", db.errorType())).isEqualTo(1);
    assertThat(result.metadataKey()).isNull();
    assertThat(result.problem()).contains("cannot reach");
  }

  @Test
  void aDatabaseThatIsDownFailsAfterItsRetries() throws Exception {
    assertFailedAlone(run("db-down", List.of()), "db-down", "DatabaseUnreachable", "Connection");
  }

  @Test
  void aWrongDatabasePasswordFailsAtOnce() throws Exception {
    assertFailedAlone(run("wrong-password", List.of()), "wrong-password", "DatabaseAccessDenied", "password authentication failed");
  }
}
