package io.pgrunbooks.activities.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgrunbooks.activities.applications.ApplicationActivitiesImpl;
import io.pgrunbooks.activities.approval.EscalationActivitiesImpl;
import io.pgrunbooks.activities.assessment.AssessmentActivitiesImpl;
import io.pgrunbooks.activities.backup.BackupActivitiesImpl;
import io.pgrunbooks.activities.backup.BackupMetrics;
import io.pgrunbooks.activities.crypto.Gpg;
import io.pgrunbooks.activities.host.LocalClusterHosting;
import io.pgrunbooks.activities.hosting.ClusterHostings;
import io.pgrunbooks.activities.postgres.PostgresConnector;
import io.pgrunbooks.activities.postgres.ReadinessProbe;
import io.pgrunbooks.activities.secrets.SecretResolver;
import io.pgrunbooks.activities.storage.TestStores;
import io.pgrunbooks.activities.targets.TargetActivitiesImpl;
import io.pgrunbooks.activities.targets.TargetConfig;
import io.pgrunbooks.activities.targets.TargetRegistry;
import io.pgrunbooks.activities.targets.TargetsProperties;
import io.pgrunbooks.harness.HostTargets;
import io.pgrunbooks.harness.PostgresCluster;
import io.pgrunbooks.workflows.approval.ApprovalDecision;
import io.pgrunbooks.workflows.approval.ApprovalVerifier;
import io.pgrunbooks.workflows.approval.GateView;
import io.pgrunbooks.workflows.assessment.AssessDatabaseHealthWorkflowImpl;
import io.pgrunbooks.workflows.backup.BackupDatabaseWorkflowImpl;
import io.pgrunbooks.workflows.backup.BackupDatabasesWorkflow;
import io.pgrunbooks.workflows.backup.BackupDatabasesWorkflowImpl;
import io.pgrunbooks.workflows.backup.BackupFormat;
import io.pgrunbooks.workflows.backup.BackupRequest;
import io.pgrunbooks.workflows.backup.BackupRunResult;
import io.pgrunbooks.workflows.common.RunbookSearchAttributes;
import io.pgrunbooks.workflows.restore.DropLeftoverRequest;
import io.pgrunbooks.workflows.restore.DropLeftoverResult;
import io.pgrunbooks.workflows.restore.DropRestoreLeftoverWorkflow;
import io.pgrunbooks.workflows.restore.DropRestoreLeftoverWorkflowImpl;
import io.pgrunbooks.workflows.restore.RestoreFromBackupWorkflow;
import io.pgrunbooks.workflows.restore.RestoreFromBackupWorkflowImpl;
import io.pgrunbooks.workflows.restore.RestoreMode;
import io.pgrunbooks.workflows.restore.RestoreRequest;
import io.pgrunbooks.workflows.restore.RestoreResult;
import io.pgrunbooks.workflows.restore.RestoreStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RestoreFromBackup on a real PostgreSQL cluster, a real S3 server (s3proxy), real openssl-format
 * and gpg backups, with the application deployments in fabric8's mock API server (CRUD mode).
 * Each test dirties the live database after the backup, so "restored" and "untouched" can be told apart.
 */
@EnableKubernetesMockClient(crud = true)
class RestoreFromBackupTest {
  private static final String NS = "link-services";
  private static final String QUEUE = "restore-test";
  private static final Map<String, Integer> APPS = Map.of("api-gateway", 3, "user-svc", 2, "chat-svc", 2);

  static PostgresCluster cluster;
  static TestStores stores;
  static Path keyFile;
  static Path gpgPassphrase;
  static Path gpgKeyRing;
  static Gpg gpg;

  KubernetesMockServer server;
  KubernetesClient client;
  TestWorkflowEnvironment env;
  String prefix;

  @BeforeAll
  static void createDatabases() throws Exception {
    cluster = PostgresCluster.start("restore", Map.of());
    cluster.execute("postgres", "create database link_users", "create database link_chat");
    cluster.execute("link_users",
        "create table users (id bigserial primary key, name text not null, created_at timestamptz not null)",
        "insert into users (name, created_at) select 'user ' || g, timestamptz '2026-11-01' + g * interval '1 minute' from generate_series(1, 500) g");
    cluster.execute("link_chat",
        "create table messages (id bigserial primary key, user_id bigint, body text, created_at timestamptz not null)",
        "create index messages_user on messages (user_id)",
        "insert into messages (user_id, body, created_at) select g % 50, 'hello ' || g, timestamptz '2026-11-02' + g * interval '1 second' from generate_series(1, 3000) g");
    keyFile = Files.createTempFile("restore-key-", "");
    Files.writeString(keyFile, "restore passphrase");
    gpgPassphrase = Files.createTempFile("restore-gpg-pass-", "");
    Files.writeString(gpgPassphrase, "gpg key passphrase");
    gpg = new Gpg(Files.createTempDirectory("restore-gpg-"));
    gpg.generateKey("backups@link.example", "future-default", "gpg key passphrase");
    gpgKeyRing = Files.createTempFile("restore-gpg-ring-", ".asc");
    Files.write(gpgKeyRing, gpg.exportSecretKeys("backups@link.example", "gpg key passphrase", true));
    stores = new TestStores();
  }

  @AfterAll
  static void stop() {
    cluster.close();
    gpg.close();
  }

  @BeforeEach
  void worker() {
    prefix = "restore-" + System.nanoTime();
    APPS.forEach((name, replicas) -> client.apps().deployments().inNamespace(NS).resource(
        new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
            .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector().endSpec()
            .build()).create());
    TargetConfig host = HostTargets.of(cluster, List.of("link_users", "link_chat"),
        new TargetConfig.BackupSettings(TestStores.GOOD, prefix, "file:" + keyFile, null, 2, 1000, null, null, null, null, null));
    TargetConfig target = new TargetConfig(
        host.hosting(), host.primary(), List.of(), host.databases(), List.of("api-gateway", "user-svc", "chat-svc"),
        new TargetConfig.KubernetesPlacement(NS, null, null, null, null, null), host.host(), null, host.backup(),
        new TargetConfig.RestoreSettings(List.of("users", "messages"), null, null, 0L, 2, "file:" + gpgKeyRing), null, null);
    TargetRegistry registry = new TargetRegistry(new TargetsProperties(Map.of("link", target)));
    SecretResolver secrets = new SecretResolver(() -> client);
    PostgresConnector connector = new PostgresConnector(secrets);
    env = TestWorkflowEnvironment.newInstance();
    RunbookSearchAttributes.forEachIndexed(env::registerSearchAttribute);
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(
        RestoreFromBackupWorkflowImpl.class, DropRestoreLeftoverWorkflowImpl.class, AssessDatabaseHealthWorkflowImpl.class,
        BackupDatabasesWorkflowImpl.class, BackupDatabaseWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new ApprovalVerifier(null, true), new RestoreActivitiesImpl(registry, stores.storage, secrets, connector),
        new ApplicationActivitiesImpl(registry, () -> client),
        new BackupActivitiesImpl(registry, stores.registry, stores.storage, secrets, connector, new BackupMetrics(new SimpleMeterRegistry())),
        new EscalationActivitiesImpl(new SimpleMeterRegistry(), ""),
        new TargetActivitiesImpl(registry),
        new AssessmentActivitiesImpl(registry, connector, new ReadinessProbe(connector), new ClusterHostings(List.of(new LocalClusterHosting()))));
    env.start();
  }

  @AfterEach
  void close() {
    env.close();
    cluster.execute("postgres", "select 1"); // still up for the next test
    for (String db : databases()) {
      if (db.contains("_restore_")) {
        cluster.execute("postgres", "drop database \"" + db + "\" with (force)");
      }
    }
  }

  @Test
  void restoresAnOpensslCustomFormatBackupAndKeepsTheOldDatabase() throws Exception {
    backUp(BackupFormat.COMPATIBLE);
    String before = fingerprint("link_users", "users");
    long rows = Long.parseLong(before.split(" ")[0]);
    cluster.execute("link_users", "insert into users (name, created_at) values ('after the backup', now())");

    RestoreFromBackupWorkflow run = start(request("link_users", null, null, RestoreMode.STREAMED, false));
    approve(run, "scale-down-and-restore");
    GateView swap = openGate(run, "swap-databases");
    assertThat(swap.description()).contains("rename link_users -> link_users_pre_restore_");
    assertThat(replicas()).as("applications are down while the copy is checked").containsOnlyKeys(APPS.keySet()).allSatisfy((n, r) -> assertThat(r).isZero());
    approve(run, "swap-databases");
    RestoreResult result = result(run);

    assertThat(result.status()).isEqualTo(RestoreStatus.RESTORED);
    assertThat(result.backup().kind()).isEqualTo("openssl AES-256-CBC, pg_dump custom format");
    assertThat(result.check().comparedWithRecord()).isTrue();
    assertThat(result.check().rowCounts()).containsEntry("public.users", rows);
    assertThat(result.check().newest()).containsKey("public.users");
    assertThat(result.backup().recordedNewest()).as("recorded at backup time").isEqualTo(result.check().newest());
    assertThat(fingerprint("link_users", "users")).isEqualTo(before);
    assertThat(fingerprint(result.preRestoreDatabase(), "users")).startsWith((rows + 1) + " ");
    assertThat(replicas()).isEqualTo(APPS);
    assertThat(result.postRecoverySeverity()).isNotNull().doesNotStartWith("assessment failed");

    // The old database is dropped only by its own approved run, and only a name a restore made.
    DropRestoreLeftoverWorkflow drop = startDrop(result.preRestoreDatabase());
    GateView gate = openDropGate(drop);
    assertThat(gate.description()).contains("drop database " + result.preRestoreDatabase()).contains("cannot be undone");
    assertThat(databases()).contains(result.preRestoreDatabase());
    drop.approve(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "not needed", null));
    assertThat(WorkflowStub.fromTyped(drop).getResult(DropLeftoverResult.class).status()).isEqualTo("DROPPED");
    assertThat(databases()).doesNotContain(result.preRestoreDatabase()).contains("link_users");
    assertThatThrownBy(() -> WorkflowStub.fromTyped(startDrop("link_users")).getResult(DropLeftoverResult.class))
        .isInstanceOf(WorkflowFailedException.class).rootCause().hasMessageContaining("not a database a restore leaves behind");
    assertThat(databases()).contains("link_users");
  }

  private DropRestoreLeftoverWorkflow startDrop(String database) {
    DropRestoreLeftoverWorkflow run = env.getWorkflowClient().newWorkflowStub(
        DropRestoreLeftoverWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build());
    WorkflowClient.start(run::drop, new DropLeftoverRequest("link", database, false, "alice"));
    return run;
  }

  private static GateView openDropGate(DropRestoreLeftoverWorkflow run) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      Optional<GateView> gate = run.approvals().stream().filter(GateView::open).findFirst();
      if (gate.isPresent()) {
        return gate.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the drop's gate never opened");
  }

  @Test
  void restoresTheFastFormatStagedForAParallelPgRestore() throws Exception {
    backUp(BackupFormat.FAST);
    String before = fingerprint("link_chat", "messages");
    cluster.execute("link_chat", "delete from messages where id % 2 = 0");

    RestoreFromBackupWorkflow run = start(request("link_chat", null, null, RestoreMode.STAGED, false));
    approve(run, "scale-down-and-restore");
    approve(run, "swap-databases");
    RestoreResult result = result(run);

    assertThat(result.backup().kind()).contains("zstd inside the encryption");
    assertThat(result.method().mode()).isEqualTo(RestoreMode.STAGED);
    assertThat(result.method().jobs()).isEqualTo(2);
    assertThat(fingerprint("link_chat", "messages")).isEqualTo(before);
    assertThat(stagedFilesLeft()).isEmpty();
  }

  @Test
  void restoresAGpgPlainSqlDumpDetectedFromItsBytes() throws Exception {
    String before = fingerprint("link_chat", "messages");
    // The seed's kind of backup: a plain dump, encrypted to a gpg public key, named without a hint.
    putObject("daily/2026-11-21/link_chat.bin", gpg.encryptFor(plainDump("link_chat"), "backups@link.example"));
    cluster.execute("link_chat", "update messages set body = 'overwritten'");

    RestoreFromBackupWorkflow run = start(request("link_chat", null, "file:" + gpgPassphrase, null, false));
    approve(run, "scale-down-and-restore");
    approve(run, "swap-databases");
    RestoreResult result = result(run);

    assertThat(result.backup().objectKey()).endsWith("link_chat.bin");
    assertThat(result.backup().kind()).isEqualTo("gpg (OpenPGP), plain SQL");
    assertThat(result.check().comparedWithRecord()).isFalse();
    assertThat(fingerprint("link_chat", "messages")).isEqualTo(before);
    assertThat(fingerprint(result.preRestoreDatabase(), "messages")).isNotEqualTo(before);
    assertThat(replicas()).isEqualTo(APPS);
  }

  @Test
  void aCorruptObjectStopsTheRestoreAndTheApplicationsComeBack() throws Exception {
    BackupRunResult backup = backUp(BackupFormat.COMPATIBLE);
    String key = backup.databases().stream().filter(d -> d.database().equals("link_users")).findFirst().orElseThrow().objectKey();
    byte[] object = stores.storage.get(TestStores.GOOD, key).readAllBytes();
    object[object.length / 2] ^= 0x40; // one flipped bit: CBC decrypts on, only the SHA-256 can tell
    stores.storage.put(TestStores.GOOD, key, object, "application/octet-stream");
    cluster.execute("link_users", "insert into users (name, created_at) values ('live', now())");
    String live = fingerprint("link_users", "users");

    RestoreFromBackupWorkflow run = start(request("link_users", null, null, RestoreMode.STREAMED, false));
    approve(run, "scale-down-and-restore");

    assertThatThrownBy(() -> result(run)).isInstanceOf(WorkflowFailedException.class).satisfies(e -> {
      ApplicationFailure failure = (ApplicationFailure) e.getCause();
      assertThat(failure.getType()).isEqualTo("RestoreFailed");
      assertThat(failure.getOriginalMessage()).contains("stopped at step 'restore'").contains("link_users is untouched")
          .contains("applications are back");
    });
    assertThat(fingerprint("link_users", "users")).isEqualTo(live);
    assertThat(replicas()).isEqualTo(APPS);
    assertThat(databases()).noneMatch(d -> d.contains("_restore_"));
  }

  @Test
  void aCopyThatDiffersFromTheBackupsRecordIsKeptButNeverSwappedIn() throws Exception {
    BackupRunResult backup = backUp(BackupFormat.COMPATIBLE);
    String manifestKey = backup.databases().stream().filter(d -> d.database().equals("link_users")).findFirst().orElseThrow().manifestKey();
    String manifest = stores.storage.getText(TestStores.GOOD, manifestKey);
    stores.storage.putText(TestStores.GOOD, manifestKey,
        manifest.replaceFirst("\"public.users\"\\s*:\\s*\"[^\"]+\"", "\"public.users\":\"2031-01-01 00:00:00+00\""), "application/json");
    String live = fingerprint("link_users", "users");

    RestoreFromBackupWorkflow run = start(request("link_users", null, null, RestoreMode.STREAMED, false));
    approve(run, "scale-down-and-restore");

    assertThatThrownBy(() -> result(run)).isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(((ApplicationFailure) e.getCause()).getOriginalMessage())
            .contains("stopped at step 'verify'").contains("newest created_at recorded 2031-01-01")
            .contains("is kept for inspection").contains("link_users is untouched"));
    assertThat(fingerprint("link_users", "users")).isEqualTo(live);
    assertThat(replicas()).isEqualTo(APPS);
    assertThat(databases()).anyMatch(d -> d.startsWith("link_users_restore_"));
  }

  @Test
  void anSqlErrorInTheDumpStopsAtTheFirstErrorAndChangesNothing() throws Exception {
    String broken = new String(plainDump("link_users"), StandardCharsets.UTF_8)
        .replaceFirst("CREATE TABLE public.users", "CREATE TABLE public.users_typo_first (id int);\nINSERT INTO missing_table VALUES (1);\nCREATE TABLE public.users");
    putObject("manual/broken-link_users.sql.gpg", gpg.encryptFor(broken.getBytes(StandardCharsets.UTF_8), "backups@link.example"));
    String live = fingerprint("link_users", "users");

    RestoreFromBackupWorkflow run = start(request("link_users", null, "file:" + gpgPassphrase, null, false));
    approve(run, "scale-down-and-restore");

    assertThatThrownBy(() -> result(run)).isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(((ApplicationFailure) e.getCause()).getOriginalMessage())
            .contains("psql stopped at the first error").contains("missing_table").contains("link_users is untouched"));
    assertThat(fingerprint("link_users", "users")).isEqualTo(live);
    assertThat(replicas()).isEqualTo(APPS);
    assertThat(databases()).noneMatch(d -> d.contains("_restore_"));
  }

  @Test
  void aDryRunPlansEveryStepAndChangesNothing() throws Exception {
    backUp(BackupFormat.COMPATIBLE);
    List<String> before = databases();
    RestoreResult result = WorkflowStub.fromTyped(start(request("link_users", null, null, null, true))).getResult(RestoreResult.class);

    assertThat(result.status()).isEqualTo(RestoreStatus.PLANNED);
    assertThat(result.plan()).anySatisfy(s -> assertThat(s).contains("scale api-gateway 3 -> 0").contains("in " + NS))
        .anySatisfy(s -> assertThat(s).startsWith("rename link_users -> link_users_pre_restore_"))
        .anySatisfy(s -> assertThat(s).contains("api-gateway 0 -> 3"));
    assertThat(result.decisions()).isEmpty();
    assertThat(databases()).isEqualTo(before);
    assertThat(replicas()).isEqualTo(APPS);
  }

  @Test
  void aRejectedFirstGateChangesNothing() throws Exception {
    backUp(BackupFormat.COMPATIBLE);
    List<String> before = databases();
    RestoreFromBackupWorkflow run = start(request("link_users", null, null, null, false));
    GateView gate = openGate(run, "scale-down-and-restore");
    run.reject(new ApprovalDecision(gate.gateId(), "bob", gate.digest(), "wrong backup", null));
    RestoreResult result = result(run);

    assertThat(result.status()).isEqualTo(RestoreStatus.REJECTED);
    assertThat(result.reason()).contains("rejected by bob: wrong backup").contains("link_users was not changed");
    assertThat(databases()).isEqualTo(before);
    assertThat(replicas()).isEqualTo(APPS);
  }

  // --- helpers

  private BackupRunResult backUp(BackupFormat format) {
    return env.getWorkflowClient()
        .newWorkflowStub(BackupDatabasesWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build())
        .backup(new BackupRequest("link", List.of(), format, 0, null, "test"));
  }

  private RestoreRequest request(String database, String objectKey, String keyRef, RestoreMode mode, boolean dryRun) {
    return new RestoreRequest("link", database, objectKey, keyRef, mode, dryRun, "alice", 3600, false);
  }

  private RestoreFromBackupWorkflow start(RestoreRequest request) {
    RestoreFromBackupWorkflow run = env.getWorkflowClient().newWorkflowStub(
        RestoreFromBackupWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build());
    WorkflowClient.start(run::restore, request);
    return run;
  }

  private static RestoreResult result(RestoreFromBackupWorkflow run) {
    return WorkflowStub.fromTyped(run).getResult(RestoreResult.class);
  }

  private static GateView openGate(RestoreFromBackupWorkflow run, String gateId) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      Optional<GateView> gate = run.approvals().stream().filter(g -> g.gateId().equals(gateId) && g.open()).findFirst();
      if (gate.isPresent()) {
        return gate.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("gate " + gateId + " never opened; gates: " + run.approvals());
  }

  private static void approve(RestoreFromBackupWorkflow run, String gateId) throws InterruptedException {
    GateView gate = openGate(run, gateId);
    run.approve(new ApprovalDecision(gateId, "bob", gate.digest(), "checked", null));
  }

  private Map<String, Integer> replicas() {
    return APPS.keySet().stream().collect(java.util.stream.Collectors.toMap(
        n -> n, n -> client.apps().deployments().inNamespace(NS).withName(n).get().getSpec().getReplicas()));
  }

  private void putObject(String name, byte[] content) {
    stores.storage.put(TestStores.GOOD, prefix + "/" + name, content, "application/octet-stream");
  }

  private static byte[] plainDump(String database) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(PostgresCluster.binDirectory().resolve("pg_dump").toString(),
        "--dbname=host=127.0.0.1 port=" + cluster.port() + " user=postgres dbname=" + database, "--format=plain", "--no-password")
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("PGPASSWORD", cluster.password());
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] dump = p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    return dump;
  }

  private static List<String> databases() {
    List<String> names = new ArrayList<>();
    try (Connection c = cluster.connect("postgres"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select datname from pg_database order by 1")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return names;
  }

  /** Row count, newest created_at and an md5 of every row in id order. */
  private static String fingerprint(String database, String table) throws Exception {
    try (Connection c = cluster.connect(database); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) || ' ' || max(created_at) || ' ' || md5(string_agg(t::text, '|' order by id)) from " + table + " t")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static List<Path> stagedFilesLeft() throws Exception {
    try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(f -> f.getFileName().toString().startsWith("pgrb-link_")).toList();
    }
  }
}
